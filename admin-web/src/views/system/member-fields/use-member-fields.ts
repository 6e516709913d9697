import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import {
  reorderMemberFields,
  restoreMemberField,
  retireMemberField,
  type CustomField,
  type CustomFieldDefinition,
  type FieldTypeInfo,
} from '@/api/member-fields';
import { groupCustomFields } from '@/components/member-form/layout';
import { errorMessage } from '@/composables/use-server-errors';
import { useMemberFieldsStore } from '@/stores/member-fields';
import { confirmDanger } from '@/utils/confirm';
import { localLabel } from '@/utils/label';
import { ElMessage } from '@/utils/message';

export interface FieldGroup {
  /** null: 未分组 */
  group: string | null;
  fields: CustomField[];
}

/** Orders leave gaps of ten, so a field added later can sit between two without renumbering. */
const ORDER_STEP = 10;

/**
 * 表单设计: the custom member fields by group in the order the form shows them, dragged to
 * a new place (saved at once with PUT /member-fields/order), defined, edited, retired and
 * restored. Every change reloads the shared member form, so the member pages follow.
 */
export function useMemberFieldDesigner() {
  const { t } = useI18n();
  const store = useMemberFieldsStore();
  const groups = ref<FieldGroup[]>([]);
  const loading = ref(false);
  const savingOrder = ref(false);
  const busy = ref<string | null>(null);
  const dialogVisible = ref(false);
  const editing = ref<CustomFieldDefinition | null>(null);
  const previewVisible = ref(false);

  const types = computed<FieldTypeInfo[]>(() => store.fields?.types ?? []);
  const fieldCount = computed(() => groups.value.reduce((sum, group) => sum + group.fields.length, 0));
  const groupNames = computed(() => groups.value.map((group) => group.group).filter((group): group is string => group !== null));
  const nextOrder = computed(() => (Math.max(0, ...groups.value.flatMap((group) => group.fields.map((field) => field.order))) + ORDER_STEP));

  function rebuild(): void {
    groups.value = groupCustomFields(store.fields?.custom ?? []).map(({ group, fields }) => ({ group, fields }));
  }

  async function load(): Promise<void> {
    loading.value = true;
    await store.load(true);
    rebuild();
    loading.value = false;
  }
  onMounted(load);

  const typeLabel = (type: string) => {
    const info = types.value.find((candidate) => candidate.type === type);
    return info ? localLabel(info.label, type) : type;
  };

  /** A drag ended: move the field in the data, then save every field's group and order. */
  async function move(from: number, oldIndex: number, to: number, newIndex: number): Promise<void> {
    if (from === to && oldIndex === newIndex) return;
    const [field] = groups.value[from].fields.splice(oldIndex, 1);
    groups.value[to].fields.splice(newIndex, 0, field);
    const items = groups.value.flatMap((group) => group.fields.map((entry) => ({ key: entry.key, group: group.group })));
    savingOrder.value = true;
    try {
      await reorderMemberFields(items.map((item, index) => ({ ...item, order: (index + 1) * ORDER_STEP })));
      ElMessage.success(t('memberFields.orderSaved'));
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      savingOrder.value = false;
      await load();
    }
  }

  function openCreate(): void {
    editing.value = null;
    dialogVisible.value = true;
  }

  function openEdit(field: CustomField): void {
    editing.value = field;
    dialogVisible.value = true;
  }

  async function toggleRetired(field: CustomField): Promise<void> {
    const name = localLabel(field.label, field.key);
    const retiring = !field.retired;
    const ok = await confirmDanger({
      title: t(retiring ? 'memberFields.retireTitle' : 'memberFields.restoreTitle'),
      message: t(retiring ? 'memberFields.retireConfirm' : 'memberFields.restoreConfirm', { name, key: field.key }),
      confirmText: t(retiring ? 'memberFields.retire' : 'memberFields.restore'),
      tone: retiring ? 'danger' : 'primary',
      testId: retiring ? 'field-retire' : 'field-restore',
    });
    if (!ok) return;
    busy.value = field.key;
    try {
      await (retiring ? retireMemberField(field.key) : restoreMemberField(field.key));
      ElMessage.success(t(retiring ? 'memberFields.retired' : 'memberFields.restored', { name }));
      await load();
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      busy.value = null;
    }
  }

  return {
    store,
    groups,
    loading,
    savingOrder,
    busy,
    types,
    fieldCount,
    groupNames,
    nextOrder,
    typeLabel,
    load,
    move,
    dialogVisible,
    editing,
    openCreate,
    openEdit,
    onSaved: load,
    toggleRetired,
    previewVisible,
  };
}
