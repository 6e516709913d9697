import type { FormItemRule, FormRules } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';
import type { PasswordPolicy } from '@/api/auth';

export interface ChangePasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

/** The server's policy rule ids, as in PASSWORD_POLICY details.rules. */
export type PolicyRule = 'length' | 'classes' | 'username' | 'history';

/** ok / fail for what can be checked here; 'unknown' for history, which only the server knows. */
export type RuleState = 'ok' | 'fail' | 'pending' | 'unknown';

export interface PolicyCheck {
  rule: PolicyRule;
  text: string;
  state: RuleState;
}

// Same four classes as the server: anything that is not an ASCII letter or digit is a symbol.
const CLASS_TESTS = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

export function countClasses(password: string): number {
  return CLASS_TESTS.filter((test) => test.test(password)).length;
}

/** Which of the policy's rules a password breaks (history excepted); the same checks as the server's. */
export function brokenRules(password: string, policy: PasswordPolicy, username: string | undefined): PolicyRule[] {
  const broken: PolicyRule[] = [];
  // Characters, not UTF-16 units: an emoji counts once, as on the server.
  const length = [...password].length;
  if (length < policy.minLength || length > policy.maxLength) broken.push('length');
  if (countClasses(password) < policy.requiredClasses) broken.push('classes');
  if (policy.notUsername && username && containsUsername(password, username)) broken.push('username');
  return broken;
}

/** The username, forwards or backwards, in any case. */
function containsUsername(password: string, username: string): boolean {
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  return lower.includes(name) || lower.includes([...name].reverse().join(''));
}

export function ruleText(t: ComposerTranslation, rule: PolicyRule, policy: PasswordPolicy): string {
  switch (rule) {
    case 'length':
      return t('changePassword.rules.length', { min: policy.minLength, max: policy.maxLength });
    case 'classes':
      return t('changePassword.rules.classes', { count: policy.requiredClasses });
    case 'username':
      return t('changePassword.rules.username');
    case 'history':
      return t('changePassword.rules.history', { count: policy.historyCount });
  }
}

/** The live checklist under the new-password field. */
export function policyChecklist(
  t: ComposerTranslation,
  policy: PasswordPolicy,
  password: string,
  username: string | undefined,
  serverBroken: readonly PolicyRule[],
): PolicyCheck[] {
  const rules: PolicyRule[] = ['length'];
  if (policy.requiredClasses > 0) rules.push('classes');
  if (policy.notUsername && username) rules.push('username');
  if (policy.historyCount > 0) rules.push('history');
  const broken = brokenRules(password, policy, username);
  return rules.map((rule) => {
    let state: RuleState;
    if (rule === 'history') state = serverBroken.includes('history') ? 'fail' : 'unknown';
    else if (password === '') state = 'pending';
    else state = broken.includes(rule) ? 'fail' : 'ok';
    return { rule, text: ruleText(t, rule, policy), state };
  });
}

/** Form rules mirroring the server's password schema and policy. */
export function changePasswordRules(
  t: ComposerTranslation,
  form: ChangePasswordForm,
  policy: PasswordPolicy | null,
  username: string | undefined,
): FormRules<ChangePasswordForm> {
  const policyRule: FormItemRule = {
    trigger: ['blur', 'change'],
    validator: (_rule, value: string, callback) => {
      if (!policy || !value) return callback();
      // The checklist below the field names each broken rule; the field error only points at it.
      if (brokenRules(value, policy, username).length === 0) return callback();
      callback(new Error(t('changePassword.rules.notMet')));
    },
  };
  return {
    currentPassword: [{ required: true, message: t('changePassword.rules.currentRequired'), trigger: 'blur' }],
    newPassword: [{ required: true, message: t('changePassword.rules.newRequired'), trigger: 'blur' }, policyRule],
    confirmPassword: [
      { required: true, message: t('changePassword.rules.confirmRequired'), trigger: 'blur' },
      {
        trigger: ['blur', 'change'],
        validator: (_rule, value: string, callback) =>
          value && value !== form.newPassword ? callback(new Error(t('changePassword.rules.mismatch'))) : callback(),
      },
    ],
  };
}
