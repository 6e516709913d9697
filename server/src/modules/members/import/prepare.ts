import { Op } from 'sequelize';
import { AppError } from '../../../platform/errors/app-error.js';
import type { Locale } from '../../../platform/http/request-context.js';
import type { Principal } from '../../../platform/http/route.js';
import { validate, type FieldError } from '../../../platform/http/validation.js';
import type { FieldGuard } from '../../access/field-policy/index.js';
import type { PlainRecord } from '../../access/field-policy/record-shape.js';
import type { MemberContact } from '../contact.js';
import { validateCustomValues, type CustomFieldDefinition } from '../form/index.js';
import { memberView } from '../member-view.js';
import type { MemberModels, MemberRecord } from '../models.js';
import { MemberCreate } from '../schemas.js';
import type { ImportColumn } from './columns.js';

/**
 * One chunk of sheet rows checked exactly as the API checks a registration (the request
 * schema, the form engine, the caller's field guard and store scope) and matched to the
 * members they may already be, by phone or card number. Nothing is written here.
 */
export type DuplicatePolicy = 'skip' | 'update' | 'fill';

export interface SheetRow {
  line: number;
  cells: string[];
}

export interface BadRow extends SheetRow {
  reasons: string[];
}

export interface NewMember {
  line: number;
  input: PlainRecord;
  custom: PlainRecord;
  homeStoreId: number;
}

export interface MemberChange {
  line: number;
  member: MemberRecord;
  patch: PlainRecord;
  custom: PlainRecord | undefined;
}

export interface PreparedChunk {
  creates: NewMember[];
  updates: MemberChange[];
  skipped: number;
  bad: BadRow[];
}

export interface PrepareContext {
  principal: Principal;
  guard: FieldGuard;
  models: MemberModels;
  contact: MemberContact;
  columns: ReadonlyMap<string, ImportColumn>;
  /** Column key of each sheet column, by position; null for columns not imported. */
  keys: ReadonlyArray<string | null>;
  definitions: readonly CustomFieldDefinition[];
  match: 'phone' | 'cardNo';
  duplicates: DuplicatePolicy;
  defaultStoreId: number | null;
  /** Match keys seen in earlier rows of this file, with their line. */
  seen: Map<string, number>;
  say: (zh: string, en: string) => string;
  locale: Locale;
}

const errorText = (errors: FieldError[], ctx: PrepareContext) =>
  errors.map((e) => `${labelOf(e.path, ctx)}：${e.message}`);

function labelOf(path: string, ctx: PrepareContext): string {
  const column = ctx.columns.get(path);
  return column ? ctx.say(column.label.zh, column.label.en) : path;
}

function fieldErrors(error: unknown): FieldError[] | null {
  if (error instanceof AppError && error.code === 'VALIDATION_FAILED') return (error.details as { fields: FieldError[] }).fields;
  return null;
}

function readRow(row: SheetRow, ctx: PrepareContext): { input: PlainRecord; custom: PlainRecord } {
  const input: PlainRecord = {};
  const custom: PlainRecord = {};
  ctx.keys.forEach((key, i) => {
    const text = row.cells[i]?.trim() ?? '';
    if (!key || text === '') return;
    const value = ctx.columns.get(key)!.convert(text);
    if (key.startsWith('custom.')) custom[key.slice('custom.'.length)] = value;
    else input[key] = value;
  });
  return { input, custom };
}

function checkRow(row: SheetRow, ctx: PrepareContext): { bad: BadRow } | { good: NewMember; matchKey: string | null } {
  const { input, custom } = readRow(row, ctx);
  if (input.homeStoreId === undefined && ctx.defaultStoreId !== null) input.homeStoreId = ctx.defaultStoreId;
  const reasons: string[] = [];
  let parsed: PlainRecord = input;
  try {
    parsed = validate(MemberCreate, input, 'body') as PlainRecord;
  } catch (error) {
    const fields = fieldErrors(error);
    if (!fields) throw error;
    reasons.push(...errorText(fields, ctx));
  }
  const customChecked = validateCustomValues(ctx.definitions, custom, { operation: 'create' });
  reasons.push(...errorText(customChecked.errors, ctx));
  const storeId = parsed.homeStoreId;
  if (typeof storeId !== 'number') {
    if (!reasons.some((r) => r.startsWith(labelOf('homeStoreId', ctx)))) reasons.push(`${labelOf('homeStoreId', ctx)}：${ctx.say('请填写门店编码或名称', 'Give a store code or name')}`);
  } else if (ctx.principal.storeScope !== null && !ctx.principal.storeScope.includes(storeId)) {
    reasons.push(`${labelOf('homeStoreId', ctx)}：${ctx.say('门店不存在或不在您的管理范围内', 'No such store within your reach')}`);
  }
  try {
    ctx.guard.assertWritable({ ...input, custom }, { operation: 'create' });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    reasons.push(error.messageIn(ctx.locale));
  }
  if (reasons.length > 0) return { bad: { ...row, reasons } };
  const matchKey = ctx.match === 'phone' ? ctx.contact.phoneIndex(parsed.phone as string) : ((parsed.cardNo as string | undefined) ?? null);
  if (matchKey !== null) {
    const earlier = ctx.seen.get(matchKey);
    if (earlier !== undefined) return { bad: { ...row, reasons: [ctx.say(`与第 ${earlier} 行是同一会员`, `Same member as line ${earlier}`)] } };
    ctx.seen.set(matchKey, row.line);
  }
  return { good: { line: row.line, input: parsed, custom: customChecked.values as PlainRecord, homeStoreId: storeId as number }, matchKey };
}

/** What an existing member gets from a row under the duplicate policy; null when nothing changes. */
function changeFor(row: NewMember, member: MemberRecord, ctx: PrepareContext): MemberChange | null {
  const current = memberView(member, ctx.contact);
  const currentCustom = current.custom as PlainRecord;
  const fill = ctx.duplicates === 'fill';
  const patch: PlainRecord = {};
  for (const [key, value] of Object.entries(row.input)) {
    if (key === 'cardNo' || key === ctx.match || value === undefined) continue;
    if (fill ? current[key] === null || current[key] === undefined : current[key] !== value) patch[key] = value;
  }
  const custom: PlainRecord = {};
  for (const [key, value] of Object.entries(row.custom)) {
    if (fill ? currentCustom[key] === undefined : JSON.stringify(currentCustom[key]) !== JSON.stringify(value)) custom[key] = value;
  }
  const hasCustom = Object.keys(custom).length > 0;
  if (Object.keys(patch).length === 0 && !hasCustom) return null;
  return { line: row.line, member, patch, custom: hasCustom ? custom : undefined };
}

export async function prepareChunk(rows: SheetRow[], ctx: PrepareContext): Promise<PreparedChunk> {
  const out: PreparedChunk = { creates: [], updates: [], skipped: 0, bad: [] };
  const cellsOf = new Map(rows.map((r) => [r.line, r.cells]));
  const good: Array<{ row: NewMember; matchKey: string | null }> = [];
  for (const row of rows) {
    const checked = checkRow(row, ctx);
    if ('bad' in checked) out.bad.push(checked.bad);
    else good.push({ row: checked.good, matchKey: checked.matchKey });
  }
  const keys = good.map((g) => g.matchKey).filter((k): k is string => k !== null);
  const column = ctx.match === 'phone' ? 'phoneBidx' : 'cardNo';
  const existing = keys.length ? await ctx.models.Member.findAll({ where: { [column]: { [Op.in]: keys } } }) : [];
  const byKey = new Map(existing.map((m) => [String(m.get(column)), m]));
  for (const { row, matchKey } of good) {
    const member = matchKey === null ? undefined : byKey.get(matchKey);
    if (!member) {
      out.creates.push(row);
      continue;
    }
    const reachable = (ctx.principal.storeScope === null || ctx.principal.storeScope.includes(member.homeStoreId)) && (!ctx.principal.ownMembersOnly || member.managerId === ctx.principal.userId);
    if (!reachable) {
      out.bad.push({ line: row.line, cells: cellsOf.get(row.line)!, reasons: [ctx.say('该会员已在其他门店登记，无法在此导入', 'This member is registered at another store and cannot be imported here')] });
    } else if (ctx.duplicates === 'skip') {
      out.skipped += 1;
    } else {
      const change = changeFor(row, member, ctx);
      if (!change) out.skipped += 1;
      else {
        try {
          ctx.guard.assertWritable({ ...change.patch, ...(change.custom ? { custom: change.custom } : {}) }, { operation: 'update' });
          out.updates.push(change);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          out.bad.push({ line: row.line, cells: cellsOf.get(row.line)!, reasons: [error.messageIn(ctx.locale)] });
        }
      }
    }
  }
  return out;
}
