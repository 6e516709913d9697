import type { FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

/** The filter bar's fields as the URL keeps them (times are business-timezone wall clock). */
export interface AuditFilters {
  from: string;
  to: string;
  actorId: string;
  action: string;
  entityType: string;
  entityId: string;
  storeId: string;
  result: string;
  /** show the list from this record down (the integrity check's "show me") */
  at: string;
  [key: string]: string;
}

export function emptyAuditFilters(): AuditFilters {
  return { from: '', to: '', actorId: '', action: '', entityType: '', entityId: '', storeId: '', result: '', at: '' };
}

/** Same as the server's AuditLogQuery: an action such as auth.login, or a prefix such as auth.* */
export const ACTION_PATTERN = /^[a-z_]+(\.[a-z_]+)*(\.\*)?$/;

export function auditFilterRules(t: ComposerTranslation): FormRules<AuditFilters> {
  return {
    actorId: [{ pattern: /^\s*[1-9]\d{0,15}\s*$/, message: t('audit.rules.actorId'), trigger: 'blur' }],
    action: [{ pattern: ACTION_PATTERN, message: t('audit.rules.action'), trigger: 'blur' }],
    entityType: [{ max: 32, message: t('validation.maxLength', { max: 32 }), trigger: 'blur' }],
    entityId: [{ max: 64, message: t('validation.maxLength', { max: 64 }), trigger: 'blur' }],
  };
}
