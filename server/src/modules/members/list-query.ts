import { IndexHints, literal, Op, type Sequelize, type WhereOptions } from 'sequelize';
import { AppError } from '../../platform/errors/app-error.js';
import type { Principal } from '../../platform/http/route.js';
import { fieldQueryForbidden, type FieldFilter, type FieldGuard } from '../access/field-policy/index.js';
import { isFullPhone } from '../access/field-policy/formats.js';
import { isValidCardNumber } from '../../platform/ids/card-number.js';
import type { MemberContact } from './contact.js';

/**
 * A member list query compiled into SQL: the caller's store scope first (rows of other
 * stores are never fetched), then each filter after the field guard has allowed it, then
 * keyset paging on (sort column, id) so page 10,000 costs what page 1 does.
 */
export const MEMBER_SORTS = ['registeredAt', 'lastVisitAt', 'cardNo', 'name', 'birthday', 'pointsBalance', 'storedValueBalance', 'totalSpent'] as const;
export type MemberSort = (typeof MEMBER_SORTS)[number];

export interface MemberListQuery {
  keyword?: string;
  storeId?: number;
  channel?: string;
  tierId?: number;
  managerId?: number;
  status?: 'normal' | 'frozen' | 'erased';
  registeredFrom?: Date;
  registeredTo?: Date;
  birthdayMonth?: number;
  spendMin?: number;
  spendMax?: number;
  sort: MemberSort;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
  /** How `tierId` reads as a condition, when the tiers module has a say (the base level also holds members never placed). */
  tierWhere?: WhereOptions;
  /** Searchable custom fields, each with the value the form engine normalized for search. */
  custom?: Array<{ key: string; type: string; value: string | number | boolean }>;
}

/** Sort columns that may be null: nulls sort first ascending and last descending on both databases. */
const NULLABLE_SORTS = new Set<MemberSort>(['lastVisitAt', 'name', 'birthday', 'cardNo']);

interface Cursor {
  s: MemberSort;
  o: 'asc' | 'desc';
  v: string | number | null;
  id: number;
}

export function encodeCursor(sort: MemberSort, order: 'asc' | 'desc', value: unknown, id: number): string {
  const v = value instanceof Date ? value.toISOString() : (value as string | number | null);
  return Buffer.from(JSON.stringify({ s: sort, o: order, v, id } satisfies Cursor)).toString('base64url');
}

function decodeCursor(text: string, sort: MemberSort, order: 'asc' | 'desc'): Cursor {
  let cursor: Partial<Cursor> | null = null;
  try {
    cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
  } catch {
    // reported below, like any other cursor that does not fit
  }
  const valueFits = cursor?.v === null || typeof cursor?.v === 'string' || typeof cursor?.v === 'number';
  // A cursor from another sort would skip or repeat rows: refuse it rather than guess.
  if (!cursor || cursor.s !== sort || cursor.o !== order || !Number.isSafeInteger(cursor.id) || !valueFits) {
    throw new AppError('MEMBER_CURSOR_INVALID');
  }
  return cursor as Cursor;
}

function keysetAfter(cursor: Cursor): WhereOptions {
  const column = cursor.s;
  const value = column === 'registeredAt' || column === 'lastVisitAt' ? (cursor.v === null ? null : new Date(cursor.v)) : cursor.v;
  const idAfter = { id: cursor.o === 'asc' ? { [Op.gt]: cursor.id } : { [Op.lt]: cursor.id } };
  const beyond = cursor.o === 'asc' ? Op.gt : Op.lt;
  if (value === null) {
    // Ascending: the null run comes first, then every value. Descending: only the null run is left.
    const inNullRun = { [Op.and]: [{ [column]: null }, idAfter] };
    return cursor.o === 'asc' ? { [Op.or]: [inNullRun, { [column]: { [Op.ne]: null } }] } : inNullRun;
  }
  // `col <= v AND (col < v OR id < last)`: the first half is a plain range the database
  // walks in index order; an OR of the two halves alone is not, and page 10,000 scans.
  const within = cursor.o === 'asc' ? Op.gte : Op.lte;
  const after: WhereOptions = { [Op.and]: [{ [column]: { [within]: value } }, { [Op.or]: [{ [column]: { [beyond]: value } }, idAfter] }] };
  return cursor.o === 'desc' && NULLABLE_SORTS.has(column) ? { [Op.or]: [after, { [column]: null }] } : after;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * What a keyword means, by its shape: a whole mobile number (exact, through the blind
 * index), four digits (the phone's last four), a card number (exact when its check digit
 * fits, else a prefix), anything else a name prefix. Each meaning needs the field guard's
 * consent for the field it reads, so a keyword is never a way round a hidden field.
 */
function keywordWhere(keyword: string, guard: FieldGuard, contact: MemberContact): WhereOptions {
  if (isFullPhone(keyword)) {
    guard.assertFilterable([{ field: 'phone', op: 'eq', value: keyword }]);
    return { phoneBidx: contact.phoneIndex(keyword) };
  }
  if (/^\d{4}$/.test(keyword)) {
    // The phone mask shows the last four digits, so matching on them shows nothing more.
    const { level, mask } = guard.policy('phone');
    const readable = level === 'read' || level === 'edit' || (level === 'masked' && (mask === 'phone' || mask === 'last4'));
    if (!readable) throw fieldQueryForbidden('search', ['phone']);
    return { phoneLast4: keyword };
  }
  if (/^\d{5,32}$/.test(keyword)) {
    if (isValidCardNumber(keyword)) {
      guard.assertFilterable([{ field: 'cardNo', op: 'eq', value: keyword }]);
      return { cardNo: keyword };
    }
    guard.assertFilterable([{ field: 'cardNo', op: 'prefix', value: keyword }]);
    return { cardNo: { [Op.like]: `${keyword}%` } };
  }
  guard.assertSearchable(['name']);
  return { name: { [Op.like]: `${escapeLike(keyword)}%` } };
}

export function memberScopeWhere(principal: Principal): WhereOptions[] {
  const and: WhereOptions[] = [];
  if (principal.storeScope !== null) and.push({ homeStoreId: principal.storeScope });
  if (principal.ownMembersOnly) and.push({ managerId: principal.userId });
  return and;
}

/**
 * The same scope as `memberScopeWhere`, as an `id IN (...)` subquery for other tables'
 * queries that hold a member id (coupons), so a page of them never loads members the
 * caller may not see. Null when the caller reaches every member.
 */
export function memberScopeSubquery(principal: Principal): string | null {
  if (principal.storeScope === null && !principal.ownMembersOnly) return null;
  const conditions: string[] = [];
  if (principal.storeScope !== null) conditions.push(principal.storeScope.length === 0 ? '1 = 0' : `home_store_id IN (${principal.storeScope.map(Number).join(',')})`);
  if (principal.ownMembersOnly) conditions.push(`manager_id = ${Number(principal.userId)}`);
  return `(SELECT id FROM members WHERE ${conditions.join(' AND ')})`;
}

/**
 * Members holding a custom value, through the value index (see the member_custom_values
 * migration); a region matches its sub-regions too, as codes nest by prefix.
 */
function customWhere(sequelize: Sequelize, filter: NonNullable<MemberListQuery['custom']>[number]): WhereOptions {
  const value = String(filter.value);
  const match = filter.type === 'region' ? `value LIKE ${sequelize.escape(`${value}%`)}` : `value = ${sequelize.escape(value)}`;
  return { id: { [Op.in]: literal(`(SELECT member_id FROM member_custom_values WHERE field_key = ${sequelize.escape(filter.key)} AND ${match})`) } };
}

/** The index that serves each sort in (column, id) order; see `indexHint`. */
const SORT_INDEXES: Record<MemberSort, string> = {
  registeredAt: 'members_registered_at',
  lastVisitAt: 'members_last_visit_at',
  cardNo: 'card_no',
  name: 'members_name',
  birthday: 'members_birthday',
  pointsBalance: 'members_points_balance',
  storedValueBalance: 'members_stored_value_balance',
  totalSpent: 'members_total_spent',
};

/**
 * A page after a cursor reads on from the middle of an index. MariaDB's optimizer,
 * seeing `home_store_id = 1` and a LIMIT, walks that key from the start and filters
 * (a million members: a second for page 10,000) instead of seeking to the cursor, so a
 * cursor page names the sort's index. Pages with a keyword or a custom filter are left
 * to the optimizer: those filters are the selective part. Other databases ignore hints.
 */
function indexHint(query: MemberListQuery, principal: Principal) {
  if (!query.cursor || query.keyword || (query.custom?.length ?? 0) > 0) return undefined;
  const oneStore = query.storeId !== undefined || principal.storeScope?.length === 1;
  const index = query.sort === 'registeredAt' && oneStore ? 'members_home_store_id_registered_at' : SORT_INDEXES[query.sort];
  return [{ type: IndexHints.FORCE, values: [index] }];
}

export function compileMemberQuery(query: MemberListQuery, principal: Principal, guard: FieldGuard, contact: MemberContact, sequelize: Sequelize) {
  const filters: FieldFilter[] = [];
  const and: WhereOptions[] = memberScopeWhere(principal);
  const add = (filter: FieldFilter, where: WhereOptions) => {
    filters.push(filter);
    and.push(where);
  };
  if (query.storeId !== undefined) add({ field: 'homeStoreId', op: 'eq', value: query.storeId }, { homeStoreId: query.storeId });
  if (query.channel !== undefined) add({ field: 'channel', op: 'eq', value: query.channel }, { channel: query.channel });
  if (query.tierId !== undefined) add({ field: 'tierId', op: 'eq', value: query.tierId }, query.tierWhere ?? { tierId: query.tierId });
  if (query.managerId !== undefined) add({ field: 'managerId', op: 'eq', value: query.managerId }, { managerId: query.managerId });
  if (query.status !== undefined) add({ field: 'status', op: 'eq', value: query.status }, { status: query.status });
  else and.push({ status: { [Op.ne]: 'erased' } });
  if (query.registeredFrom) add({ field: 'registeredAt', op: 'gte' }, { registeredAt: { [Op.gte]: query.registeredFrom } });
  if (query.registeredTo) add({ field: 'registeredAt', op: 'lt' }, { registeredAt: { [Op.lt]: query.registeredTo } });
  if (query.birthdayMonth !== undefined) add({ field: 'birthday', op: 'gte' }, { birthMonth: query.birthdayMonth });
  if (query.spendMin !== undefined) add({ field: 'totalSpent', op: 'gte' }, { totalSpent: { [Op.gte]: query.spendMin } });
  if (query.spendMax !== undefined) add({ field: 'totalSpent', op: 'lte' }, { totalSpent: { [Op.lte]: query.spendMax } });
  for (const filter of query.custom ?? []) add({ field: `custom.${filter.key}`, op: 'eq', value: filter.value }, customWhere(sequelize, filter));
  guard.assertFilterable(filters);
  if (query.keyword) and.push(keywordWhere(query.keyword, guard, contact));
  guard.assertSortable([query.sort]);
  if (query.cursor) and.push(keysetAfter(decodeCursor(query.cursor, query.sort, query.order)));
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  return {
    where: { [Op.and]: and },
    indexHints: indexHint(query, principal),
    order: [
      [query.sort, direction],
      ['id', direction],
    ] as Array<[string, string]>,
  };
}
