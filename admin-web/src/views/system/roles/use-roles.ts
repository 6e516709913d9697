import { computed, onMounted, reactive, ref, watch } from 'vue';
import { onBeforeRouteLeave, useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import {
  deleteRole,
  getFieldRegistry,
  listPermissions,
  listRoles,
  updateRole,
  type DataScope,
  type FieldPolicy,
  type PermissionGroup,
  type RegistryEntity,
  type Role,
} from '@/api/roles';
import { isApiError } from '@/api/http';
import { errorMessage, useServerErrors } from '@/composables/use-server-errors';
import { useAuthStore } from '@/stores/auth';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage, ElMessageBox } from '@/utils/message';
import { cleanPolicy } from './field-grid';
import { ROLE_FORM_FIELDS } from './rule';

export type RoleTab = 'basic' | 'permissions' | 'fields';
const TABS: readonly RoleTab[] = ['basic', 'permissions', 'fields'];

/** What the right-hand side edits; saved with one PATCH. */
export interface RoleDraft {
  nameZh: string;
  nameEn: string;
  dataScope: DataScope;
  permissions: string[];
  fieldPolicy: FieldPolicy;
}

function draftOf(role: Role): RoleDraft {
  return {
    nameZh: role.nameZh,
    nameEn: role.nameEn,
    dataScope: role.dataScope,
    permissions: [...role.permissions],
    // A deep copy: the grid edits nested objects, the loaded role must stay as the server sent it.
    fieldPolicy: JSON.parse(JSON.stringify(role.fieldPolicy ?? {})) as FieldPolicy,
  };
}

/** A comparable form: permission order and empty policy parts do not make a change. */
function fingerprint(draft: RoleDraft): string {
  return JSON.stringify({
    nameZh: draft.nameZh.trim(),
    nameEn: draft.nameEn.trim(),
    dataScope: draft.dataScope,
    permissions: [...draft.permissions].sort(),
    fieldPolicy: cleanPolicy(draft.fieldPolicy),
  });
}

export function useRoles() {
  const { t, locale } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const auth = useAuthStore();

  const roles = ref<Role[]>([]);
  const groups = ref<PermissionGroup[]>([]);
  const entities = ref<RegistryEntity[]>([]);
  const loading = ref(false);
  const loadError = ref('');
  const saving = ref(false);
  const createVisible = ref(false);

  const selectedCode = ref('');
  const tab = ref<RoleTab>(TABS.includes(route.query.tab as RoleTab) ? (route.query.tab as RoleTab) : 'basic');
  const draft = reactive<RoleDraft>({ nameZh: '', nameEn: '', dataScope: 'assigned', permissions: [], fieldPolicy: {} });
  const savedFingerprint = ref('');
  const errors = useServerErrors(ROLE_FORM_FIELDS);

  const selected = computed(() => roles.value.find((role) => role.code === selectedCode.value) ?? null);
  const dirty = computed(() => selected.value !== null && fingerprint(draft) !== savedFingerprint.value);
  const canEdit = computed(() => auth.can('system:role:update'));
  /** '*' roles (super_admin) hold every permission, present and future: the matrix does not apply. */
  const allPermissions = computed(() => draft.permissions.includes('*'));

  function roleName(role: Role): string {
    return locale.value === 'en' ? role.nameEn : role.nameZh;
  }

  function loadDraft(role: Role | null): void {
    errors.clear();
    if (!role) return;
    Object.assign(draft, draftOf(role));
    savedFingerprint.value = fingerprint(draft);
  }

  async function load(): Promise<void> {
    loading.value = true;
    loadError.value = '';
    try {
      const [roleList, permissionList, registry] = await Promise.all([listRoles(), listPermissions(), getFieldRegistry()]);
      roles.value = roleList.items;
      groups.value = permissionList.groups;
      entities.value = registry.entities;
      const wanted = typeof route.query.role === 'string' ? route.query.role : '';
      const initial = roles.value.find((role) => role.code === wanted) ?? roles.value[0] ?? null;
      selectedCode.value = initial?.code ?? '';
      loadDraft(initial);
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  async function confirmDiscard(): Promise<boolean> {
    if (!dirty.value) return true;
    try {
      await ElMessageBox.confirm(t('roles.discardText', { name: selected.value ? roleName(selected.value) : '' }), t('roles.discardTitle'), {
        type: 'warning',
        confirmButtonText: t('roles.discard'),
        cancelButtonText: t('roles.keepEditing'),
      });
      return true;
    } catch {
      return false;
    }
  }

  async function select(code: string): Promise<void> {
    if (code === selectedCode.value) return;
    if (!(await confirmDiscard())) return;
    selectedCode.value = code;
    loadDraft(selected.value);
  }

  // The selected role and tab live in the URL, so a link opens the same view.
  watch([selectedCode, tab], ([code, currentTab]) => {
    const query = { ...route.query, role: code || undefined, tab: currentTab === 'basic' ? undefined : currentTab };
    void router.replace({ query });
  });

  onBeforeRouteLeave(() => confirmDiscard());

  function discard(): void {
    loadDraft(selected.value);
  }

  function replaceRole(role: Role): void {
    const index = roles.value.findIndex((item) => item.id === role.id);
    if (index >= 0) roles.value.splice(index, 1, role);
    else roles.value.push(role);
  }

  async function save(): Promise<boolean> {
    const role = selected.value;
    if (!role || saving.value) return false;
    errors.clear();
    if (!draft.nameZh.trim() || !draft.nameEn.trim()) {
      tab.value = 'basic';
      if (!draft.nameZh.trim()) errors.fieldErrors.nameZh = t('roles.rules.nameZhRequired');
      if (!draft.nameEn.trim()) errors.fieldErrors.nameEn = t('roles.rules.nameEnRequired');
      return false;
    }
    saving.value = true;
    try {
      const saved = await updateRole(role.id, {
        nameZh: draft.nameZh.trim(),
        nameEn: draft.nameEn.trim(),
        dataScope: draft.dataScope,
        permissions: [...draft.permissions],
        fieldPolicy: cleanPolicy(draft.fieldPolicy),
      });
      replaceRole(saved);
      loadDraft(saved);
      ElMessage.success(t('roles.saved', { name: roleName(saved) }));
      // The user may have changed their own role: their menu follows.
      if (auth.user) void auth.loadSession().catch(() => undefined);
      return true;
    } catch (error) {
      errors.apply(error);
      if (errors.fieldErrors.nameZh || errors.fieldErrors.nameEn || errors.fieldErrors.dataScope) tab.value = 'basic';
      return false;
    } finally {
      saving.value = false;
    }
  }

  function onCreated(role: Role): void {
    replaceRole(role);
    selectedCode.value = role.code;
    loadDraft(role);
    tab.value = 'permissions';
  }

  async function remove(): Promise<void> {
    const role = selected.value;
    if (!role || role.builtin) return;
    const ok = await confirmDanger({
      title: t('roles.deleteTitle'),
      message:
        role.userCount > 0
          ? t('roles.deleteInUse', { name: roleName(role), count: role.userCount })
          : t('roles.deleteConfirm', { name: roleName(role) }),
      confirmText: t('common.delete'),
      testId: 'role-delete',
    });
    if (!ok) return;
    try {
      await deleteRole(role.id);
      ElMessage.success(t('roles.deleted', { name: roleName(role) }));
      roles.value = roles.value.filter((item) => item.id !== role.id);
      selectedCode.value = roles.value[0]?.code ?? '';
      loadDraft(selected.value);
    } catch (error) {
      ElMessage.error(isApiError(error) ? error.message : t('common.unknownError'));
    }
  }

  return {
    roles,
    groups,
    entities,
    loading,
    loadError,
    load,
    selectedCode,
    selected,
    tab,
    draft,
    dirty,
    canEdit,
    allPermissions,
    saving,
    errors,
    roleName,
    select,
    discard,
    save,
    remove,
    createVisible,
    onCreated,
  };
}
