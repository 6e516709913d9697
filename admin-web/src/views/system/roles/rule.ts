import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

export interface RoleNamesForm {
  nameZh: string;
  nameEn: string;
}

export interface RoleCreateForm extends RoleNamesForm {
  code: string;
  /** copy permissions, data scope and field policy from this role */
  copyFrom: string;
}

export const ROLE_FORM_FIELDS = ['code', 'nameZh', 'nameEn', 'dataScope'] as const;

function nameRules(t: ComposerTranslation) {
  const name = (message: string) => [
    { required: true, whitespace: true, message, trigger: 'blur' },
    { max: 64, message: t('validation.maxLength', { max: 64 }), trigger: 'blur' },
  ];
  return { nameZh: name(t('roles.rules.nameZhRequired')), nameEn: name(t('roles.rules.nameEnRequired')) };
}

/** Mirrors the server's RoleBody names: 1-64 characters each. */
export function roleNamesRules(t: ComposerTranslation): FormRules<RoleNamesForm> {
  return nameRules(t);
}

/** Mirrors RoleBody: code 2-32 lower-case letters, digits and _, starting with a letter. */
export function roleCreateRules(t: ComposerTranslation): FormRules<RoleCreateForm> {
  return {
    code: [
      { required: true, message: t('roles.rules.codeRequired'), trigger: 'blur' },
      { pattern: /^[a-z][a-z0-9_]{1,31}$/, message: t('roles.rules.codePattern'), trigger: 'blur' },
    ],
    ...nameRules(t),
  };
}
