import { z } from 'zod';
import { FIELD_KEY_ID } from '../crypto/field-cipher.js';

const port = z.coerce
  .number({ error: 'expected an integer between 1 and 65535, e.g. 8080' })
  .int('expected an integer between 1 and 65535, e.g. 8080')
  .min(1, 'expected an integer between 1 and 65535, e.g. 8080')
  .max(65535, 'expected an integer between 1 and 65535, e.g. 8080');

const positiveInt = (hint: string) =>
  z.coerce.number({ error: hint }).int(hint).positive(hint);

export const databaseUrl = z.string().refine(
  (value) => parseDatabaseUrl(value) !== null,
  'expected sqlite:<path> (e.g. sqlite:./data/huiji.sqlite) or mysql://user:password@host:3306/database',
);

const timezone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, 'expected an IANA time zone name, e.g. Asia/Shanghai');

const KEY_HINT = 'expected base64 of 32 random bytes (openssl rand -base64 32)';
const key32 = z.string().refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, KEY_HINT);

/** `HUIJI_FIELD_KEYS=k2:<base64>,k1:<base64>` in the environment; an object in the file. */
function keyList(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return Object.fromEntries(
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => [part.slice(0, part.indexOf(':')), part.slice(part.indexOf(':') + 1)]),
  );
}

export const configSchema = z.strictObject({
  env: z.enum(['production', 'development', 'test']).default('production'),
  host: z.string().min(1).default('0.0.0.0'),
  port: port.default(8080),
  dataDir: z.string().min(1).default('./data'),
  logDir: z.string().min(1).default('./logs'),
  logLevel: z.enum(['error', 'warn', 'info', 'http', 'debug']).default('info'),
  /** China's Cybersecurity Law asks for at least six months of network logs. */
  logRetentionDays: positiveInt('expected a whole number of days, at least 180 is advised').default(180),
  databaseUrl: databaseUrl.optional(),
  businessTimezone: timezone.default('Asia/Shanghai'),
  database: z
    .strictObject({
      poolMax: positiveInt('expected a positive integer, e.g. 10').default(10),
      migrateOnStart: z.boolean().default(true),
      connectRetryMaxSeconds: positiveInt('expected a positive integer of seconds, e.g. 30').default(30),
    })
    .prefault({}),
  http: z
    .strictObject({
      bodyLimit: z
        .string()
        .regex(/^\d+(kb|mb)$/i, 'expected a size such as 1mb or 512kb')
        .default('1mb'),
      trustProxy: z.union([z.boolean(), z.string(), z.number()]).default(false),
      /**
       * The address customers reach Huiji at (https://vip.example.com), printed in the
       * registration QR codes; unset, the address the console was opened at is used.
       */
      publicUrl: z
        .string()
        .regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, 'expected an http(s) address such as https://vip.example.com')
        .optional(),
    })
    .prefault({}),
  auth: z
    .strictObject({
      sessionIdleMinutes: positiveInt('expected a positive integer of minutes, e.g. 120').default(120),
      sessionAbsoluteHours: positiveInt('expected a positive integer of hours, e.g. 12').default(12),
      lockoutThreshold: positiveInt('expected a positive integer, e.g. 5').default(5),
      /** Stores often share one NAT address: raise this if cashiers lock each other out. */
      ipLockoutThreshold: positiveInt('expected a positive integer, e.g. 5').default(5),
      lockoutMinutes: positiveInt('expected a positive integer of minutes, e.g. 15').default(15),
      passwordMinLength: z.coerce
        .number()
        .int()
        .min(8, 'expected at least 8')
        .max(64, 'expected at most 64')
        .default(10),
      passwordHistory: z.coerce.number().int().min(0).max(24).default(5),
      /** Plain passwords are accepted for API clients on HTTPS; the console always encrypts. */
      allowPlainPassword: z.boolean().default(true),
      bootstrapAdminPassword: z.string().min(1).optional(),
    })
    .prefault({}),
  audit: z
    .strictObject({
      /** Base64 of at least 32 random bytes; kept outside the database. Generated into dataDir/keys when unset. */
      hmacKey: z
        .string()
        .refine((v) => Buffer.from(v, 'base64').length >= 32, 'expected base64 of at least 32 random bytes (openssl rand -base64 32)')
        .optional(),
      retentionDays: z.coerce
        .number({ error: 'expected a whole number of days, at least 180' })
        .int('expected a whole number of days, at least 180')
        .min(180, 'expected at least 180 days: China\'s Cybersecurity Law asks for six months')
        .default(365),
      sealIntervalSeconds: positiveInt('expected a positive integer of seconds, e.g. 30').default(30),
      checkpointIntervalMinutes: positiveInt('expected a positive integer of minutes, at most 60').max(60, 'expected at most 60').default(60),
    })
    .prefault({}),
  crypto: z
    .strictObject({
      /**
       * Keys of personal data at rest (phone, e-mail, ID number), by id. Kept outside the
       * database; generated into dataDir/keys/field-keys.json when unset. Rotate by adding a
       * key, making it active, restarting every node, then `npm run keys -- reencrypt`.
       */
      fieldKeys: z
        .preprocess(keyList, z.record(z.string(), key32))
        .optional(),
      /** The key new values are written with; needed when there are several. */
      activeFieldKey: z.string().optional(),
      blindIndexKey: key32.optional(),
    })
    .superRefine((value, context) => {
      const ids = Object.keys(value.fieldKeys ?? {});
      // Checked here rather than by the record's key schema, whose message names no rule.
      const badId = ids.find((id) => !FIELD_KEY_ID.test(id));
      if (badId !== undefined) {
        context.addIssue({ code: 'custom', path: ['fieldKeys'], message: `expected key ids of lower-case letters, digits, - or _ (at most 16), e.g. k2; got "${badId}"` });
      } else if (value.activeFieldKey !== undefined && !ids.includes(value.activeFieldKey)) {
        context.addIssue({ code: 'custom', path: ['activeFieldKey'], message: `expected one of the ids in crypto.fieldKeys (${ids.join(', ') || 'none set'})` });
      } else if (value.activeFieldKey === undefined && ids.length > 1) {
        context.addIssue({ code: 'custom', path: ['activeFieldKey'], message: `expected the id of the key new values are written with (one of ${ids.join(', ')})` });
      }
      if ((ids.length > 0) !== (value.blindIndexKey !== undefined)) {
        context.addIssue({ code: 'custom', path: [ids.length > 0 ? 'blindIndexKey' : 'fieldKeys'], message: 'expected crypto.fieldKeys and crypto.blindIndexKey to be set together' });
      }
    })
    .prefault({}),
  members: z
    .strictObject({
      /** Digits printed before each new card number's sequence (at most 6); changing it affects new cards only. */
      cardPrefix: z.string().regex(/^\d{0,6}$/, 'expected at most 6 digits, e.g. 8').default('8'),
      /** The largest member sheet an import accepts. */
      importMaxMegabytes: positiveInt('expected a positive integer of megabytes, e.g. 30').max(200, 'expected at most 200').default(30),
    })
    .prefault({}),
  backup: z
    .strictObject({
      /** Where backups are written; defaults to <dataDir>/backups. */
      dir: z.string().min(1).optional(),
      /** The backup RSA public key (PEM); the private key is kept off the server. */
      publicKeyFile: z.string().min(1).optional(),
      /** The daily backup's time of day in the business time zone, or `off`. */
      time: z
        .string()
        .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'expected a time of day HH:mm such as 03:30, or off')
        .default('03:30'),
      keepDaily: z.coerce.number({ error: 'expected a whole number, e.g. 7' }).int('expected a whole number, e.g. 7').min(1, 'expected at least 1').default(7),
      keepWeekly: z.coerce.number({ error: 'expected a whole number, e.g. 4' }).int('expected a whole number, e.g. 4').min(0, 'expected 0 or more').default(4),
      keepMonthly: z.coerce.number({ error: 'expected a whole number, e.g. 6' }).int('expected a whole number, e.g. 6').min(0, 'expected 0 or more').default(6),
      /** A second directory (a mounted NAS) each backup is copied to. */
      copyTo: z.string().min(1).optional(),
    })
    .prefault({}),
  jobs: z
    .strictObject({
      /** `worker`: this server only queues jobs; `npm run worker` processes run them. */
      runIn: z.enum(['server', 'worker']).default('server'),
      processEverySeconds: positiveInt('expected a positive integer of seconds, e.g. 1').default(1),
      /** How long a stopping process waits for running jobs before handing them back to the queue. */
      drainSeconds: positiveInt('expected a positive integer of seconds, e.g. 30').default(30),
      /** Keep jobs in this MongoDB instead of Huiji's own database. */
      mongodbUrl: z
        .string()
        .regex(/^mongodb(\+srv)?:\/\/.+/, 'expected a MongoDB connection string, e.g. mongodb://127.0.0.1:27017/huiji')
        .optional(),
      /** Export and import result files are deleted after this many days. */
      outputRetentionDays: positiveInt('expected a positive integer of days, e.g. 7').default(7),
    })
    .prefault({}),
});

export type HuijiConfig = z.infer<typeof configSchema> & {
  databaseUrl: string;
  backup: z.infer<typeof configSchema>['backup'] & { dir: string; publicKeyFile: string };
};

export type DatabaseTarget =
  | { dialect: 'sqlite'; storage: string }
  | {
      dialect: 'mysql';
      host: string;
      port: number;
      username: string;
      password: string;
      database: string;
    };

export function parseDatabaseUrl(value: string): DatabaseTarget | null {
  if (value.startsWith('sqlite:')) {
    const storage = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return storage.length > 0 ? { dialect: 'sqlite', storage } : null;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') return null;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!url.hostname || !database || database.includes('/')) return null;
  const portNumber = url.port ? Number(url.port) : 3306;
  if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) return null;
  return {
    dialect: 'mysql',
    host: url.hostname,
    port: portNumber,
    username: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    database,
  };
}
