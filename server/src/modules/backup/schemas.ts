import { isoDate, nullableIsoDate } from '../../platform/http/common-schemas.js';
import { z } from '../../platform/http/zod.js';
import { Task } from '../jobs/schemas.js';

const BackupItem = z
  .object({
    name: z.string().openapi({ description: 'file name in the backup directory, e.g. huiji-20261127-193000.hjbak (UTC)' }),
    bytes: z.number().int(),
    createdAt: isoDate.openapi({ description: "from the file's header; its modification time when the header cannot be read" }),
    huijiVersion: z.string().nullable(),
    schemaVersion: z.string().nullable(),
    dialect: z.enum(['mysql', 'sqlite']).nullable(),
    host: z.string().nullable(),
    keyFingerprint: z.string().nullable().openapi({ description: 'the public key it was made for (SHA-256 of the SPKI, 32 hex digits)' }),
    hasKeyFile: z.boolean().openapi({ description: 'the .hjkey (the secrets for encrypted columns) is beside it' }),
    copied: z.boolean().nullable().openapi({ description: 'in the copy directory with the same size; null when no copy directory is set' }),
    verification: z.object({
      state: z.enum(['verified', 'failed', 'structure_ok', 'damaged', 'unchecked']).openapi({
        description:
          'verified/failed: a verify-backup with the private key recorded it; structure_ok: the chunk framing is whole (checked without the key); damaged: the header or framing is broken; unchecked: the framing check has not finished yet',
      }),
      at: nullableIsoDate,
      detail: z.string().nullable(),
    }),
  })
  .openapi('Backup');

export const BackupOverview = z
  .object({
    settings: z.object({
      dir: z.string(),
      freeBytes: z.number().nullable(),
      copyTo: z.object({ dir: z.string(), reachable: z.boolean(), error: z.string().nullable() }).nullable(),
      time: z.string().openapi({ description: 'the daily backup, HH:mm in `timezone`, or off' }),
      timezone: z.string(),
      nextRunAt: nullableIsoDate,
      scheduleDisabled: z.boolean().openapi({ description: 'the daily backup was disabled on the Jobs page' }),
      retention: z.object({ keepDaily: z.number().int(), keepWeekly: z.number().int(), keepMonthly: z.number().int() }),
      publicKey: z.object({
        file: z.string(),
        status: z.enum(['ok', 'missing', 'invalid']),
        fingerprint: z.string().nullable(),
        error: z.string().nullable(),
      }),
      lastFailure: z.object({ at: isoDate, reason: z.string() }).nullable(),
    }),
    running: z
      .object({
        jobId: z.string(),
        state: z.enum(['queued', 'running']),
        startedAt: nullableIsoDate,
        progress: z.number().nullable(),
        scheduled: z.boolean(),
        taskId: z.number().int().nullable(),
      })
      .nullable(),
    items: z.array(BackupItem),
  })
  .openapi('BackupOverview');

export const BackupStarted = z.object({ task: Task });
