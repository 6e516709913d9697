import { computed, onMounted, reactive, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { createCouponTemplate, getCouponTemplate, updateCouponTemplate, type CouponTemplate, type TemplatePatch, type TemplateRules, type TemplateStatus } from '@/api/coupons';
import { isApiError } from '@/api/http';
import { useLeaveGuard } from '@/composables/use-leave-guard';
import { errorMessage, useServerErrors } from '@/composables/use-server-errors';
import { useAuthStore } from '@/stores/auth';
import { confirmDanger } from '@/utils/confirm';
import { ElMessage } from '@/utils/message';
import { statusVerb } from '../templates/use-templates';
import { TEMPLATE_FIELDS, blankTemplateForm, templateBody, templateForm, templateRules, type TemplateForm } from './rule';

/** What a template with coupons out may still change (the server refuses the rest with COUPON_TEMPLATE_LOCKED). */
const OPEN_WHEN_LOCKED: ReadonlySet<keyof TemplateRules> = new Set([
  'name',
  'description',
  'stock',
  'perMemberLimit',
  'perDayLimit',
  'claimCode',
  'claimPerMember',
] as const);

/**
 * The template page: a blank form for 新建, the template's for 编辑. Saving a new one makes
 * it a draft or active at once; saving an existing one sends only what changed (so a locked
 * template's untouched rules are never sent). The server's field errors land on the items;
 * leaving with unsaved changes asks first.
 */
export function useTemplateForm() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const auth = useAuthStore();

  const formRef = ref<FormInstance>();
  const form = reactive<TemplateForm>(blankTemplateForm());
  const template = ref<CouponTemplate | null>(null);
  const snapshot = ref(JSON.stringify(form));
  const loading = ref(false);
  const loadError = ref('');
  const saving = ref(false);
  const errors = useServerErrors(TEMPLATE_FIELDS);

  const id = computed(() => (route.params.id ? Number(route.params.id) : null));
  const isEdit = computed(() => id.value !== null);
  const canEdit = computed(() => auth.can(isEdit.value ? 'marketing:coupon:update' : 'marketing:coupon:create'));
  const locked = computed(() => template.value?.locked === true);
  const rules = computed(() => templateRules(t, form));
  const dirty = computed(() => JSON.stringify(form) !== snapshot.value);
  /** After a save the page moves to the saved template; that move is not "leaving unsaved". */
  let leavingSaved = false;

  function show(next: CouponTemplate): void {
    template.value = next;
    Object.assign(form, templateForm(next));
    snapshot.value = JSON.stringify(form);
  }

  async function load(): Promise<void> {
    if (id.value === null) return;
    loading.value = true;
    loadError.value = '';
    try {
      show(await getCouponTemplate(id.value));
    } catch (error) {
      loadError.value = errorMessage(error, t('common.unknownError'));
    } finally {
      loading.value = false;
    }
  }
  onMounted(load);

  /** Only the fields that differ from the template as loaded (of a locked one, only those it may still change). */
  function changes(current: CouponTemplate): TemplatePatch {
    const before = templateBody(templateForm(current));
    const after = templateBody(form);
    const patch: Record<string, unknown> = {};
    for (const key of Object.keys(after) as (keyof TemplateRules)[]) {
      if (current.locked && !OPEN_WHEN_LOCKED.has(key)) continue;
      if (JSON.stringify(after[key]) !== JSON.stringify(before[key])) patch[key] = after[key];
    }
    return patch as TemplatePatch;
  }

  async function validate(): Promise<boolean> {
    errors.clear();
    return (await formRef.value?.validate().catch(() => false)) === true;
  }

  /** 保存草稿 / 保存并启用 for a new template, 保存 for an existing one. */
  async function save(status?: 'draft' | 'active'): Promise<void> {
    if (saving.value || !canEdit.value || !(await validate())) return;
    saving.value = true;
    try {
      const current = template.value;
      if (current) {
        const patch = changes(current);
        if (Object.keys(patch).length > 0) show(await updateCouponTemplate(current.id, patch));
        ElMessage.success(t('coupons.form.updated', { name: form.name.trim() }));
      } else {
        const created = await createCouponTemplate({ ...templateBody(form), status: status ?? 'draft' });
        show(created);
        ElMessage.success(t('coupons.form.created', { name: created.name }));
        leavingSaved = true;
        await router.replace({ name: 'coupon-template-edit', params: { id: created.id } });
      }
    } catch (error) {
      errors.apply(error);
      if (isApiError(error, 'COUPON_TEMPLATE_LOCKED')) void load();
    } finally {
      saving.value = false;
      leavingSaved = false;
    }
  }

  /** 启用 / 暂停 / 恢复 / 结束 from the page's header; unsaved edits stay in the form. */
  async function setStatus(status: TemplateStatus): Promise<void> {
    const current = template.value;
    if (!current || saving.value) return;
    const ok = await confirmDanger({
      title: t(`coupons.templates.statusTitle.${status}`),
      message: t(`coupons.templates.statusConfirm.${status}`, { name: current.name }),
      confirmText: t(`coupons.templates.${statusVerb(current.status, status)}`),
      testId: `coupon-status-${status}`,
      tone: status === 'active' ? 'primary' : 'danger',
    });
    if (!ok) return;
    saving.value = true;
    try {
      const saved = await updateCouponTemplate(current.id, { status });
      template.value = saved;
      ElMessage.success(t(`coupons.templates.statusDone.${status}`, { name: saved.name }));
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      saving.value = false;
    }
  }

  /** A batch or single issue changed the count. */
  async function refresh(): Promise<void> {
    if (!template.value || dirty.value) return;
    show(await getCouponTemplate(template.value.id));
  }

  useLeaveGuard(
    () => !leavingSaved && dirty.value && canEdit.value,
    () => t('coupons.form.unsavedConfirm'),
  );

  return { formRef, form, rules, template, isEdit, canEdit, locked, loading, loadError, saving, dirty, ...errors, load, save, setStatus, refresh };
}
