import { computed, inject, onBeforeUnmount, onMounted, provide, reactive, ref, type InjectionKey } from 'vue';
import { useI18n } from 'vue-i18n';
import { saveFile } from '@/api/http';
import type { Task } from '@/api/jobs';
import {
  downloadImportTemplate,
  importSummaryOf,
  startMemberImport,
  uploadImportFile,
  type ImportBadRows,
  type ImportDuplicates,
  type ImportMatch,
  type ImportPreview,
  type ImportRequest,
} from '@/api/member-files';
import { useStoreLookup } from '@/composables/use-lookups';
import { errorMessage } from '@/composables/use-server-errors';
import { useStartedTask } from '@/composables/use-started-task';
import { useTasksStore } from '@/stores/tasks';
import { ElMessage } from '@/utils/message';
import { checkMapping, mappingBody, sheetColumns, sheetContentType } from './rule';

export type ImportStep = 'upload' | 'mapping' | 'run';

export interface ImportOptionsForm {
  match: ImportMatch;
  duplicates: ImportDuplicates;
  badRows: ImportBadRows;
  /** for rows without a store; null: none (the server then uses the user's only store, if one) */
  homeStoreId: number | null;
}

function defaultOptions(): ImportOptionsForm {
  return { match: 'phone', duplicates: 'skip', badRows: 'abort', homeStoreId: null };
}

/**
 * 导入会员, step by step: upload a sheet (the server reads its headers and guesses the
 * columns), check the columns and choose the options, run a 预检 (a dry run: every row checked,
 * nothing written), then the import. Both runs are background tasks: the page follows them,
 * and so does 我的任务, so the user may leave at any time.
 */
function createImportWizard() {
  const { t } = useI18n();
  const tasks = useTasksStore();
  const storeLookup = useStoreLookup();

  const step = ref<ImportStep>('upload');
  const templateLoading = ref(false);

  const fileName = ref('');
  const uploading = ref(false);
  const uploadError = ref('');
  const preview = ref<ImportPreview | null>(null);
  let uploadAbort: AbortController | null = null;

  const mapping = reactive<Record<string, string>>({});
  const options = reactive<ImportOptionsForm>(defaultOptions());

  const check = useStartedTask();
  const run = useStartedTask();
  const submitting = ref(false);
  const submitError = ref('');

  const columns = computed(() => (preview.value ? sheetColumns(preview.value) : []));
  const mappingCheck = computed(() => checkMapping(preview.value?.columns ?? [], mapping, options.match));
  const canCheck = computed(() => preview.value !== null && !mappingCheck.value.phoneMissing && !mappingCheck.value.cardMissing);
  /** The user's only store, which the server uses for rows without one. */
  const singleStore = computed(() => (storeLookup.canListStores.value && storeLookup.stores.value.length === 1 ? storeLookup.stores.value[0] : null));

  const checkSummary = computed(() => (check.task.value?.status === 'succeeded' ? importSummaryOf(check.task.value) : null));
  const runSummary = computed(() => (run.task.value?.status === 'succeeded' ? importSummaryOf(run.task.value) : null));
  /** What the import would write, by the check. */
  const importable = computed(() => (checkSummary.value ? checkSummary.value.created + checkSummary.value.updated : 0));
  const canStart = computed(
    () => checkSummary.value !== null && importable.value > 0 && !(checkSummary.value.failed > 0 && options.badRows === 'abort') && !run.task.value,
  );

  onMounted(async () => {
    await storeLookup.loadStores();
    if (singleStore.value && options.homeStoreId === null) options.homeStoreId = singleStore.value.id;
  });
  onBeforeUnmount(() => uploadAbort?.abort());

  async function downloadTemplate(): Promise<void> {
    if (templateLoading.value) return;
    templateLoading.value = true;
    try {
      saveFile(await downloadImportTemplate());
      ElMessage.success(t('memberImport.upload.templateDone'));
    } catch (error) {
      ElMessage.error(errorMessage(error, t('common.unknownError')));
    } finally {
      templateLoading.value = false;
    }
  }

  /** The chosen file goes up as it is; the answer is its headers, rows and a suggested mapping. */
  async function upload(file: File): Promise<void> {
    uploadError.value = '';
    const contentType = sheetContentType(file.name);
    if (!contentType) {
      uploadError.value = t('memberImport.upload.wrongType');
      return;
    }
    uploadAbort?.abort();
    uploadAbort = new AbortController();
    fileName.value = file.name;
    uploading.value = true;
    try {
      const result = await uploadImportFile(file, contentType, uploadAbort.signal);
      preview.value = result;
      for (const key of Object.keys(mapping)) delete mapping[key];
      for (const column of sheetColumns(result)) mapping[column.header] = result.mapping[column.header] ?? '';
      // Matching by card number needs a card column; a new sheet starts from the phone.
      options.match = 'phone';
      check.dismiss();
      run.dismiss();
      step.value = 'mapping';
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      uploadError.value = t('memberImport.upload.failed', { message: errorMessage(error, t('common.unknownError')) });
    } finally {
      uploading.value = false;
    }
  }

  function request(dryRun: boolean): ImportRequest {
    const body: ImportRequest = {
      fileId: preview.value!.fileId,
      mapping: mappingBody(mapping),
      match: options.match,
      duplicates: options.duplicates,
      badRows: options.badRows,
      dryRun,
    };
    if (options.homeStoreId !== null) body.homeStoreId = options.homeStoreId;
    return body;
  }

  async function submit(dryRun: boolean, follow: (task: Task) => void): Promise<boolean> {
    if (submitting.value || !preview.value) return false;
    submitting.value = true;
    submitError.value = '';
    try {
      follow(await startMemberImport(request(dryRun)));
      return true;
    } catch (error) {
      // 404 MEMBER_IMPORT_FILE_NOT_FOUND: the upload expired; its message says to upload again.
      submitError.value = errorMessage(error, t('common.unknownError'));
      return false;
    } finally {
      submitting.value = false;
    }
  }

  /** 预检: every row checked as the import would, nothing written. */
  async function startCheck(): Promise<void> {
    if (!canCheck.value) return;
    run.dismiss();
    check.dismiss();
    step.value = 'run';
    await submit(true, check.follow);
  }

  async function startImport(): Promise<void> {
    if (!canStart.value) return;
    await submit(false, run.follow);
  }

  /** Back to the columns and options: the check no longer holds once they change. */
  function backToMapping(): void {
    if (run.task.value) return;
    check.dismiss();
    submitError.value = '';
    step.value = 'mapping';
  }

  function backToUpload(): void {
    if (run.task.value) return;
    check.dismiss();
    submitError.value = '';
    uploadError.value = '';
    step.value = 'upload';
  }

  /** 再导入一个文件: a fresh start; the finished tasks stay in 我的任务. */
  function restart(): void {
    check.dismiss();
    run.dismiss();
    preview.value = null;
    fileName.value = '';
    submitError.value = '';
    uploadError.value = '';
    const store = options.homeStoreId;
    Object.assign(options, defaultOptions(), { homeStoreId: store });
    step.value = 'upload';
  }

  function downloadReport(task: Task): void {
    void tasks.download(task);
  }

  return {
    ...storeLookup,
    step,
    templateLoading,
    downloadTemplate,
    fileName,
    uploading,
    uploadError,
    upload,
    preview,
    columns,
    mapping,
    options,
    mappingCheck,
    canCheck,
    singleStore,
    checkTask: check.task,
    checkActive: check.active,
    runTask: run.task,
    runActive: run.active,
    checkSummary,
    runSummary,
    importable,
    canStart,
    submitting,
    submitError,
    startCheck,
    startImport,
    backToMapping,
    backToUpload,
    restart,
    downloadReport,
  };
}

export type ImportWizard = ReturnType<typeof createImportWizard>;

const WIZARD: InjectionKey<ImportWizard> = Symbol('member-import');

/** The page makes the wizard; its steps share it. */
export function provideImportWizard(): ImportWizard {
  const wizard = createImportWizard();
  provide(WIZARD, wizard);
  return wizard;
}

export function useImportWizard(): ImportWizard {
  const wizard = inject(WIZARD);
  if (!wizard) throw new Error('useImportWizard() outside the import page');
  return wizard;
}
