import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

export interface UserForm {
  username: string;
  displayName: string;
  roles: string[];
  storeIds: number[];
}

export const USER_FORM_FIELDS = ['username', 'displayName', 'roles', 'storeIds'] as const;

export function emptyUserForm(): UserForm {
  return { username: '', displayName: '', roles: [], storeIds: [] };
}

/** Mirrors the server's UserBody: username 2-64 of [A-Za-z0-9._-], display name 1-64, 1-20 roles. */
export function userRules(t: ComposerTranslation): FormRules<UserForm> {
  return {
    username: [
      { required: true, whitespace: true, message: t('users.rules.usernameRequired'), trigger: 'blur' },
      { pattern: /^\s*[A-Za-z0-9._-]{2,64}\s*$/, message: t('users.rules.usernamePattern'), trigger: 'blur' },
    ],
    displayName: [
      { required: true, whitespace: true, message: t('users.rules.displayNameRequired'), trigger: 'blur' },
      { max: 64, message: t('validation.maxLength', { max: 64 }), trigger: 'blur' },
    ],
    roles: [
      { type: 'array', required: true, min: 1, message: t('users.rules.rolesRequired'), trigger: 'change' },
      { type: 'array', max: 20, message: t('users.rules.rolesMax', { max: 20 }), trigger: 'change' },
    ],
  };
}
