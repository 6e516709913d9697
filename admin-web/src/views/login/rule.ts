import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

export interface LoginForm {
  username: string;
  password: string;
}

/** Mirrors the login schema: both fields required; the server checks the rest. */
export function loginRules(t: ComposerTranslation): FormRules<LoginForm> {
  return {
    username: [{ required: true, whitespace: true, message: t('login.rules.usernameRequired'), trigger: 'blur' }],
    password: [{ required: true, message: t('login.rules.passwordRequired'), trigger: 'blur' }],
  };
}
