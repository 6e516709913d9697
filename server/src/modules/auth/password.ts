import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// argon2id, OWASP's second recommended profile: 19 MiB, 2 passes, 1 lane.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MAX_LENGTH = 64;
/** Of four classes: lower case, upper case, digits, symbols. */
export const REQUIRED_CHARACTER_CLASSES = 3;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the user does not exist so timing does not reveal it. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(crypto.randomBytes(24).toString('base64'));
  return decoyHash;
}

export type PolicyRule = 'length' | 'classes' | 'username' | 'history';

export interface PasswordPolicy {
  minLength: number;
  maxLength: number;
  requiredClasses: number;
  notUsername: true;
  historyCount: number;
}

export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** The rules a candidate breaks, before the (slow) comparison with earlier passwords. */
export function brokenRules(password: string, username: string, policy: PasswordPolicy): PolicyRule[] {
  const broken: PolicyRule[] = [];
  const length = [...password].length;
  if (length < policy.minLength || length > policy.maxLength) broken.push('length');
  if (characterClasses(password) < policy.requiredClasses) broken.push('classes');
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (lower.includes(name) || lower.includes([...name].reverse().join(''))) broken.push('username');
  return broken;
}

/** A password that meets the policy: for the first admin and for resets. */
export function generatePassword(length = 16): string {
  const sets = ['abcdefghijkmnpqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '#%+-=@'];
  const all = sets.join('');
  const pick = (chars: string) => chars[crypto.randomInt(chars.length)];
  const chars = [...sets.map(pick), ...Array.from({ length: length - sets.length }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
