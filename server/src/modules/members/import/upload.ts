import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import { AppError } from '../../../platform/errors/app-error.js';

/**
 * An uploaded member sheet, kept under the job output directory until its import runs
 * (and purged with the other job files). Its id names its owner, so one user cannot
 * import another's upload by guessing.
 */
export type SheetKind = 'xlsx' | 'csv';

export interface Upload {
  fileId: string;
  kind: SheetKind;
  file: string;
}

const FILE_ID = /^(\d+)-([0-9a-f-]{36})\.(xlsx|csv)$/;

function kindOf(req: Request): SheetKind | null {
  if (req.is('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')) return 'xlsx';
  if (req.is('text/csv') || req.is('application/csv')) return 'csv';
  return null;
}

export function uploadDir(outputRoot: string): string {
  return path.join(outputRoot, 'uploads');
}

export async function receiveUpload(req: Request, outputRoot: string, ownerId: number, maxBytes: number): Promise<Upload> {
  const kind = kindOf(req);
  if (!kind) throw new AppError('MEMBER_IMPORT_FILE_TYPE');
  const tooLarge = () => new AppError('PAYLOAD_TOO_LARGE', { params: { limit: `${Math.round(maxBytes / 1024 / 1024)} MB` } });
  // Refused before a byte is read when the client says how big it is: the answer then
  // arrives while the upload is still going, instead of a connection cut halfway.
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const dir = uploadDir(outputRoot);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fileId = `${ownerId}-${crypto.randomUUID()}.${kind}`;
  const file = path.join(dir, fileId);
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > maxBytes ? tooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(req, limit, fs.createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  }
  if (received === 0) {
    fs.rmSync(file, { force: true });
    throw new AppError('MEMBER_IMPORT_FILE_EMPTY');
  }
  return { fileId, kind, file };
}

/** The caller's own upload by id; anything else reads as missing. */
export function findUpload(outputRoot: string, ownerId: number, fileId: string): Upload {
  const match = FILE_ID.exec(fileId);
  const file = match ? path.join(uploadDir(outputRoot), fileId) : '';
  if (!match || Number(match[1]) !== ownerId || !fs.existsSync(file)) throw new AppError('MEMBER_IMPORT_FILE_NOT_FOUND');
  return { fileId, kind: match[3] as SheetKind, file };
}

/** What the first read of an upload learned: kept in `<fileId>.json` beside it, purged with it. */
export interface UploadShape {
  headers: string[];
  rows: number;
  sample: string[][];
}

const shapeFile = (upload: Upload) => `${upload.file}.json`;

export function saveUploadShape(upload: Upload, shape: UploadShape): void {
  fs.writeFileSync(shapeFile(upload), JSON.stringify(shape), { mode: 0o600 });
}

export function readUploadShape(upload: Upload): UploadShape | null {
  try {
    return JSON.parse(fs.readFileSync(shapeFile(upload), 'utf8')) as UploadShape;
  } catch {
    return null;
  }
}
