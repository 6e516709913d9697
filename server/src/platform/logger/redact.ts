/**
 * Keys whose values never reach a log file. Matching is by key name, at any depth,
 * so a password inside a nested body is caught as surely as a header.
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'password',
  'currentpassword',
  'newpassword',
  'passwordhash',
  'password_hash',
  'token',
  'accesstoken',
  'refreshtoken',
  'secret',
  'apikey',
  'api_key',
  'x-api-key',
  'encrypted',
  'key',
  'privatekey',
];
const PII_KEYS = ['phone', 'mobile', 'idnumber', 'id_number', 'idcard', 'id_card', 'email'];

export const REDACTED = '[REDACTED]';

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

const secretSet = new Set(SECRET_KEYS.map(normalise));
const piiSet = new Set(PII_KEYS.map(normalise));

/** A mainland mobile number or an 18-character resident ID appearing inside free text. */
const PHONE_IN_TEXT = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const ID_IN_TEXT = /(?<![\dXx])(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])/g;
const BEARER_IN_TEXT = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;

export function redactText(text: string): string {
  return text
    .replace(BEARER_IN_TEXT, `$1${REDACTED}`)
    .replace(ID_IN_TEXT, '$1********$2')
    .replace(PHONE_IN_TEXT, '$1****$2');
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const normalised = normalise(key);
    if (secretSet.has(normalised)) out[key] = REDACTED;
    else if (piiSet.has(normalised) && inner !== null && inner !== undefined) out[key] = REDACTED;
    else out[key] = redact(inner, depth + 1);
  }
  return out;
}
