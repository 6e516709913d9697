import { computed, onMounted, reactive, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import { getPasswordPolicy, type PasswordPolicy } from '@/api/auth';
import { isApiError } from '@/api/http';
import { useAuthStore } from '@/stores/auth';
import { ElMessage } from '@/utils/message';
import { safeRedirect } from '@/utils/redirect';
import { changePasswordRules, policyChecklist, type ChangePasswordForm, type PolicyRule } from './rule';

const POLICY_RULES: readonly string[] = ['length', 'classes', 'username', 'history'];

export function useChangePassword() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const auth = useAuthStore();

  const formRef = ref<FormInstance>();
  const form = reactive<ChangePasswordForm>({ currentPassword: '', newPassword: '', confirmPassword: '' });
  const policy = ref<PasswordPolicy | null>(null);
  const policyError = ref('');
  const submitting = ref(false);
  const errorMessage = ref('');
  const fieldErrors = reactive<Partial<Record<keyof ChangePasswordForm, string>>>({});
  /** Rules the server said the last attempt broke (the only way to learn about 'history'). */
  const serverBroken = ref<PolicyRule[]>([]);

  const forced = computed(() => auth.mustChangePassword);
  const username = computed(() => auth.user?.username);
  const rules = computed(() => changePasswordRules(t, form, policy.value, username.value));
  const checklist = computed(() =>
    policy.value ? policyChecklist(t, policy.value, form.newPassword, username.value, serverBroken.value) : [],
  );

  // A server verdict is about the password it saw; typing a new one voids it.
  watch(
    () => form.newPassword,
    () => {
      serverBroken.value = [];
      fieldErrors.newPassword = '';
    },
  );

  async function loadPolicy(): Promise<void> {
    policyError.value = '';
    try {
      policy.value = await getPasswordPolicy();
    } catch (error) {
      policyError.value = t('changePassword.policyLoadFailed', {
        message: isApiError(error) ? error.message : t('common.unknownError'),
      });
    }
  }
  onMounted(loadPolicy);

  function resetErrors(): void {
    errorMessage.value = '';
    fieldErrors.currentPassword = '';
    fieldErrors.newPassword = '';
    fieldErrors.confirmPassword = '';
  }

  function applyServerError(error: unknown): void {
    if (!isApiError(error)) {
      errorMessage.value = t(error instanceof TypeError ? 'common.networkError' : 'common.unknownError');
      console.error(error);
      return;
    }
    switch (error.code) {
      case 'CURRENT_PASSWORD_WRONG':
        fieldErrors.currentPassword = error.message;
        form.currentPassword = '';
        return;
      case 'PASSWORD_POLICY': {
        const broken = (Array.isArray(error.details.rules) ? error.details.rules : []).filter(
          (rule): rule is PolicyRule => typeof rule === 'string' && POLICY_RULES.includes(rule),
        );
        // The checklist marks the rules the server named (the only word on 'history').
        serverBroken.value = broken;
        fieldErrors.newPassword = broken.length > 0 && policy.value ? t('changePassword.rules.notMet') : error.message;
        return;
      }
      case 'VALIDATION_FAILED': {
        const byField = error.fieldErrors();
        const known = (['currentPassword', 'newPassword', 'confirmPassword'] as const).filter((key) => byField[key]);
        for (const key of known) fieldErrors[key] = byField[key];
        if (known.length === 0) errorMessage.value = error.message;
        return;
      }
      default:
        errorMessage.value = error.message;
    }
  }

  async function submit(): Promise<void> {
    if (submitting.value) return;
    resetErrors();
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;

    submitting.value = true;
    try {
      await auth.changePassword(form.currentPassword, form.newPassword);
      ElMessage.success(t('changePassword.success'));
      await router.replace(safeRedirect(route.query));
    } catch (error) {
      applyServerError(error);
    } finally {
      submitting.value = false;
    }
  }

  async function logout(): Promise<void> {
    await auth.logout();
    await router.replace({ name: 'login' });
  }

  function back(): void {
    if (window.history.state?.back) router.back();
    else void router.replace('/');
  }

  return {
    formRef,
    form,
    rules,
    policy,
    policyError,
    loadPolicy,
    checklist,
    submitting,
    errorMessage,
    fieldErrors,
    forced,
    submit,
    logout,
    back,
  };
}
