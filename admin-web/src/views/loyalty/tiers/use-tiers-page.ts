import { computed, reactive, ref, toRaw } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { getTiers, publishTiers, simulateTiers, type Tier, type TierConfig, type TierSettings, type TierSimulation } from '@/api/tiers';
import { isApiError } from '@/api/http';
import { ElMessage } from '@/utils/message';
import { nearestItem, useDraft } from '../shared/use-draft';
import { defaultTierConfig } from './rule';

/** The rules as their form edits them: the window keeps its months while "lifetime" is picked. */
export type SettingsForm = Omit<TierSettings, 'window'> & { window: { type: 'lifetime' | 'rolling'; months: number } };

export interface TiersDraft {
  tiers: Tier[];
  settings: SettingsForm;
}

function toDraft(config: TierConfig): TiersDraft {
  const { window, ...rest } = config.settings;
  return {
    tiers: [...config.tiers].sort((a, b) => a.level - b.level).map((tier) => ({ ...tier })),
    settings: { ...rest, growth: { ...rest.growth }, window: window.type === 'rolling' ? { ...window } : { type: 'lifetime', months: 12 } },
  };
}

/** The change as PUT /tiers and /tiers/simulate take it; counts the server keeps are left out. */
function toBody(draft: TiersDraft): TierConfig {
  const { window, ...rest } = draft.settings;
  return {
    tiers: draft.tiers.map(({ memberCount: _count, ...tier }, index) => ({ ...tier, level: index + 1 })),
    settings: { ...rest, window: window.type === 'rolling' ? { type: 'rolling', months: window.months } : { type: 'lifetime' } },
  };
}

/**
 * 会员等级: the levels and rules as published, a draft of the change, the simulation of that
 * draft (stale as soon as the draft moves on), and publishing, which simulates once more so
 * the confirmation shows the numbers of exactly what is sent, then shows what was applied.
 * Server errors land by path: `settings.graceDays` on its item, `tiers.2.name` on level 3's row.
 */
export function useTiersPage() {
  const { t, te } = useI18n();
  const settingsRef = ref<FormInstance>();
  const { form: draft, saved, loading, loadError, canEdit, dirty, show, load, revert } = useDraft(
    { read: getTiers, toForm: toDraft, permission: 'loyalty:tier:update' },
    toDraft(defaultTierConfig()),
  );
  /** the basis the published thresholds count in: switching it changes what every threshold means */
  const publishedBasis = computed<TierSettings['basis'] | null>(() => saved.value?.settings.basis ?? null);

  const simulation = ref<TierSimulation | null>(null);
  const simulatedBody = ref('');
  const stale = computed(() => simulation.value !== null && simulatedBody.value !== JSON.stringify(toBody(draft)));
  const simulating = ref(false);
  const publishing = ref(false);
  const publishVisible = ref(false);
  /** what the last publishing moved, beside what its simulation said it would */
  const applied = ref<{ applied: TierSimulation; simulated: TierSimulation } | null>(null);

  const fieldErrors = reactive<Record<string, string>>({});
  const levelErrors = reactive<Record<number, string>>({});
  const formError = ref('');

  function clearLevelErrors(): void {
    for (const key of Object.keys(levelErrors)) delete levelErrors[Number(key)];
    if (Object.keys(fieldErrors).every((key) => !fieldErrors[key])) formError.value = '';
  }

  function clearErrors(): void {
    for (const key of Object.keys(fieldErrors)) delete fieldErrors[key];
    clearLevelErrors();
    formError.value = '';
  }

  function applyError(error: unknown): void {
    clearErrors();
    if (!isApiError(error)) {
      formError.value = t('common.unknownError');
      console.error(error);
      return;
    }
    const byPath = error.code === 'VALIDATION_FAILED' ? error.fieldErrorsByPath() : {};
    const unplaced: string[] = [];
    for (const [path, message] of Object.entries(byPath)) {
      const [head, second, ...rest] = path.split('.');
      // `settings.window.months` lands on the rules form's `window.months`.
      const item = head === 'settings' ? nearestItem(settingsRef.value, [second, ...rest].join('.')) : null;
      if (item) fieldErrors[item] = fieldErrors[item] ? `${fieldErrors[item]}; ${message}` : message;
      else if (head === 'tiers' && /^\d+$/.test(second ?? '')) {
        const index = Number(second);
        const label = rest.length > 0 ? (te(`tiers.fields.${rest[0]}`) ? t(`tiers.fields.${rest[0]}`) : rest[0]) : '';
        const text = label ? `${label}: ${message}` : message;
        levelErrors[index] = levelErrors[index] ? `${levelErrors[index]}; ${text}` : text;
      } else unplaced.push(`${path}: ${message}`);
    }
    if (Object.keys(byPath).length === 0) formError.value = error.message;
    else if (unplaced.length > 0) formError.value = unplaced.join('; ');
    else formError.value = t('tiers.page.fixErrors');
  }

  async function validSettings(): Promise<boolean> {
    clearErrors();
    return (await settingsRef.value?.validate().catch(() => false)) ?? true;
  }

  /** Runs the simulation of the draft; answers it, or null when it failed (the error is shown). */
  async function simulate(): Promise<TierSimulation | null> {
    if (simulating.value || !(await validSettings())) return null;
    simulating.value = true;
    const body = toBody(structuredClone(toRaw(draft)) as TiersDraft);
    try {
      simulation.value = await simulateTiers(body);
      simulatedBody.value = JSON.stringify(body);
      applied.value = null;
      return simulation.value;
    } catch (error) {
      applyError(error);
      return null;
    } finally {
      simulating.value = false;
    }
  }

  /** 发布: simulate what would be sent, then the confirmation shows those numbers. */
  async function askPublish(): Promise<void> {
    if (!canEdit.value || publishing.value) return;
    if (await simulate()) publishVisible.value = true;
  }

  async function publish(): Promise<boolean> {
    const simulated = simulation.value;
    if (!simulated || publishing.value) return false;
    publishing.value = true;
    try {
      const result = await publishTiers(JSON.parse(simulatedBody.value) as TierConfig);
      show(result);
      applied.value = { applied: result.applied, simulated };
      simulation.value = result.applied;
      simulatedBody.value = JSON.stringify(toBody(draft));
      ElMessage.success(t('tiers.publish.done', { up: result.applied.totals.up, down: result.applied.totals.down }));
      return true;
    } catch (error) {
      applyError(error);
      return false;
    } finally {
      publishing.value = false;
    }
  }

  function discard(): void {
    revert();
    clearErrors();
    settingsRef.value?.clearValidate();
  }

  return {
    settingsRef,
    draft,
    loading,
    loadError,
    canEdit,
    dirty,
    publishedBasis,
    load,
    simulation,
    stale,
    simulating,
    simulate,
    publishing,
    publishVisible,
    askPublish,
    publish,
    applied,
    fieldErrors,
    levelErrors,
    clearLevelErrors,
    formError,
    discard,
  };
}
