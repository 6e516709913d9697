import { computed, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { listStores, type Store } from '@/api/stores';
import { listRoles, type Role } from '@/api/roles';
import { useAuthStore } from '@/stores/auth';

/**
 * Store and role names for pages that show ids and codes (users, API keys, audit). Loaded
 * only when the user may read them; without the permission the page shows the raw id.
 */
export function useStoreLookup() {
  const auth = useAuthStore();
  const stores = ref<Store[]>([]);
  const canList = computed(() => auth.can('system:store:view'));

  async function loadStores(): Promise<void> {
    if (!canList.value) return;
    try {
      stores.value = (await listStores()).items;
    } catch {
      stores.value = []; // names are a nicety; the page still works with ids
    }
  }

  const byId = computed(() => new Map(stores.value.map((store) => [store.id, store])));
  function storeName(id: number | null | undefined): string {
    if (id === null || id === undefined) return '';
    return byId.value.get(id)?.name ?? `#${id}`;
  }

  return { stores, canListStores: canList, loadStores, storeName };
}

export function useRoleLookup() {
  const auth = useAuthStore();
  const { locale } = useI18n();
  const roles = ref<Role[]>([]);
  const canList = computed(() => auth.can('system:role:view'));

  async function loadRoles(): Promise<void> {
    if (!canList.value) return;
    try {
      roles.value = (await listRoles()).items;
    } catch {
      roles.value = [];
    }
  }

  const byCode = computed(() => new Map(roles.value.map((role) => [role.code, role])));
  function roleName(code: string): string {
    const role = byCode.value.get(code);
    if (!role) return code;
    return locale.value === 'en' ? role.nameEn : role.nameZh;
  }

  return { roles, canListRoles: canList, loadRoles, roleName };
}
