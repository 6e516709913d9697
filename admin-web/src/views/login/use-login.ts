import { computed, reactive, ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useI18n } from 'vue-i18n';
import type { FormInstance } from 'element-plus';
import dayjs from 'dayjs';
import { useAuthStore } from '@/stores/auth';
import { isApiError } from '@/api/http';
import { BUSINESS_TIMEZONE } from '@/utils/format';
import { safeRedirect } from '@/utils/redirect';
import { loginRules, type LoginForm } from './rule';

export function useLogin() {
  const { t } = useI18n();
  const route = useRoute();
  const router = useRouter();
  const auth = useAuthStore();

  const formRef = ref<FormInstance>();
  const form = reactive<LoginForm>({ username: '', password: '' });
  const rules = computed(() => loginRules(t));
  const submitting = ref(false);
  /** The server's message, shown above the button. */
  const errorMessage = ref('');
  /** For a locked account or a throttled address: when to try again, in the business timezone. */
  const retryAt = ref('');
  const fieldErrors = reactive<Partial<Record<keyof LoginForm, string>>>({});

  function resetErrors(): void {
    errorMessage.value = '';
    retryAt.value = '';
    fieldErrors.username = '';
    fieldErrors.password = '';
  }

  async function submit(): Promise<void> {
    if (submitting.value) return;
    resetErrors();
    const valid = await formRef.value?.validate().catch(() => false);
    if (!valid) return;

    submitting.value = true;
    try {
      const user = await auth.login(form.username.trim(), form.password);
      const redirect = safeRedirect(route.query);
      if (user.mustChangePassword) {
        await router.replace({ name: 'change-password', query: redirect === '/' ? {} : { redirect } });
      } else {
        await router.replace(redirect);
      }
    } catch (error) {
      form.password = '';
      if (!isApiError(error)) {
        // Most likely the encryption chunk failed to download.
        errorMessage.value = t(error instanceof TypeError ? 'common.networkError' : 'common.unknownError');
        console.error(error);
        return;
      }
      errorMessage.value = error.message;
      if (error.code === 'VALIDATION_FAILED') Object.assign(fieldErrors, error.fieldErrors());
      const seconds = Number(error.details.retryAfterSeconds);
      // ACCOUNT_LOCKED and LOGIN_RATE_LIMITED both say when to come back.
      if (Number.isFinite(seconds) && seconds > 0) {
        retryAt.value = dayjs().add(seconds, 'second').tz(BUSINESS_TIMEZONE).format('HH:mm');
      }
    } finally {
      submitting.value = false;
    }
  }

  return { formRef, form, rules, submitting, errorMessage, retryAt, fieldErrors, submit };
}
