import type { Sequelize } from 'sequelize';
import type { FieldCipher } from '../../platform/crypto/field-cipher.js';
import { formatCardNumber } from '../../platform/ids/card-number.js';
import { reserveInSequence } from '../../platform/ids/sequence.js';
import { MemberContact } from '../../modules/members/contact.js';
import { newMemberRow } from '../../modules/members/member-view.js';
import type { ConsentChannel } from '../../modules/members/models.js';
import { CARD_SEQUENCE } from '../../modules/members/service.js';
import { insertBatches, type Row } from './batch.js';
import type { SeedContext } from './context.js';
import { emailAddress, mobileNumber, personName, regionCode, unique, type Gender } from './generators.js';
import { weightedPicker, type Random } from './random.js';
import { registrations } from './registrations.js';
import { shopHoursTime } from './shop-clock.js';
import type { SeededStaff, StaffPlan } from './staff.js';
import type { SeededStore, StorePlan } from './stores.js';

export type MemberChannel = 'counter' | 'miniapp' | 'poster' | 'referral';

export interface MemberPlan {
  /** 1, 2, … in registration order: the member's id (the table starts empty) and its card's place in the reserved block. */
  seq: number;
  name: string;
  gender: Gender;
  /** YYYY-MM-DD. */
  birthday: string | null;
  region: string | null;
  phone: string;
  email: string | null;
  storeCode: string;
  channel: MemberChannel;
  /** The seq of the member who brought this one in: an earlier member of the same store. */
  referrer: number | null;
  /** The account manager: one of the home store's staff, hired by the time the member joined. */
  managerUsername: string | null;
  status: 'normal' | 'frozen';
  frozenReason: string | null;
  frozenAt: Date | null;
  registeredAt: Date;
  lastVisitAt: Date | null;
  notes: string | null;
  /** Channels granted for marketing at the counter when the member registered. */
  consents: ConsentChannel[];
}

type PlanStore = Pick<StorePlan, 'code' | 'site' | 'status' | 'createdAt' | 'updatedAt'>;
type PlanStaff = Pick<StaffPlan, 'username' | 'role' | 'storeCode' | 'createdAt'>;

/** How often an optional detail is filled in, as a share of members. */
const SHARE = {
  birthday: 0.92,
  region: 0.9,
  /** Of those with a region: the store's own district; the rest live elsewhere in its city. */
  storeDistrict: 0.7,
  email: 0.25,
  manager: 0.3,
  lastVisit: 0.85,
  frozen: 0.015,
  notes: 0.08,
  consent: 0.5,
};

const pickChannel = weightedPicker<MemberChannel>([
  ['counter', 55],
  ['miniapp', 25],
  ['poster', 10],
  ['referral', 10],
]);

/** How many recent members per store a referral may name as its referrer. */
const REFERRER_POOL = 50;

const FROZEN_REASONS = ['会员卡挂失', '疑似盗用，待本人核实', '会员本人申请暂停使用', '多次恶意退货，待店长处理', '账户信息存疑，待核实身份'];

const NOTES = [
  '偏好周末到店',
  '工作日晚上到店较多',
  '请勿电话打扰，短信联系即可',
  '需要开具发票，抬头见上次消费记录',
  '关注优惠活动，对价格较敏感',
  '老顾客，服务时请多一分耐心',
  '常与家人一同到店',
  '曾反映等候时间过长，已致歉',
  '喜欢新品，上新时可优先通知',
  '预约前请提前一天电话确认',
  '生日当月到店有小礼品',
  '对部分成分过敏，推荐前请先确认',
];

/**
 * `count` members in registration order: a Chinese name and gender, a unique mobile, an
 * e-mail for some, a birthday between 1955 and 2006, a home store open at the time with
 * its district as region, a sign-up channel, and for some an account manager, a last visit,
 * a freeze, a note and marketing consent. Pure: replaying it with the same stream, stores,
 * staff, count and clock gives the same members, which is how the consents pass finds them.
 */
export function* planMembers(
  random: Random,
  stores: readonly PlanStore[],
  staff: readonly PlanStaff[],
  count: number,
  now: Date,
): Generator<MemberPlan> {
  const details = random.fork('details');
  const phone = unique(() => mobileNumber(details));
  const email = unique(() => emailAddress(details));
  const advisers = advisersByStore(staff);
  const recent = stores.map((): number[] => []);
  let seq = 0;
  for (const { at: registeredAt, store: index } of registrations(random.fork('timeline'), stores, count, now)) {
    seq += 1;
    const store = stores[index];
    const { city } = store.site;
    const person = personName(details);
    const lastDay = store.status === 'closed' ? store.updatedAt : now;

    let channel = pickChannel(details);
    const pool = recent[index];
    const referrer = channel === 'referral' && pool.length > 0 ? details.pick(pool) : null;
    // The store's first members have no one to be referred by.
    if (channel === 'referral' && referrer === null) channel = 'counter';
    pool.push(seq);
    if (pool.length > REFERRER_POOL) pool.shift();

    const hired = (advisers.get(store.code) ?? []).filter((adviser) => adviser.createdAt <= registeredAt);
    const manager = details.chance(SHARE.manager) && hired.length > 0 ? details.pick(hired).username : null;
    const frozen = details.chance(SHARE.frozen);
    const frozenAt = frozen ? shopHoursTime(details, registeredAt, now) : null;
    const mail = details.chance(SHARE.email) ? email() : null;
    const consents = details.chance(SHARE.consent) ? consentChannels(details, mail !== null) : [];
    const district = details.chance(SHARE.storeDistrict) ? store.site.district : details.pick(city.districts)[0];

    yield {
      seq,
      name: person.name,
      gender: person.gender,
      birthday: details.chance(SHARE.birthday) ? birthday(details) : null,
      region: details.chance(SHARE.region) ? regionCode(city, district) : null,
      phone: phone(),
      email: mail,
      storeCode: store.code,
      channel,
      referrer,
      managerUsername: manager,
      status: frozen ? 'frozen' : 'normal',
      frozenReason: frozen ? details.pick(FROZEN_REASONS) : null,
      frozenAt,
      registeredAt,
      // A frozen card is not used again.
      lastVisitAt: details.chance(SHARE.lastVisit) ? lastVisit(details, registeredAt, frozenAt && frozenAt < lastDay ? frozenAt : lastDay) : null,
      notes: details.chance(SHARE.notes) ? details.pick(NOTES) : null,
      consents,
    };
  }
}

/** Store managers and cashiers by store code; head-office accounts look after no members. */
function advisersByStore(staff: readonly PlanStaff[]): Map<string, PlanStaff[]> {
  const byStore = new Map<string, PlanStaff[]>();
  for (const person of staff) {
    if (person.role !== 'store_manager' && person.role !== 'cashier') continue;
    byStore.set(person.storeCode, [...(byStore.get(person.storeCode) ?? []), person]);
  }
  return byStore;
}

/** Born 1955–2006, most around 1980 (two draws averaged), on a real calendar day. */
function birthday(random: Random): string {
  const year = Math.round((random.int(1955, 2006) + random.int(1955, 2006)) / 2);
  const month = random.int(1, 12);
  const day = random.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Leaning towards recent days: regular customers keep coming back. */
function lastVisit(random: Random, registeredAt: Date, until: Date): Date {
  const span = Math.max(0, until.getTime() - registeredAt.getTime());
  return shopHoursTime(random, new Date(registeredAt.getTime() + span * Math.sqrt(random.next())), until);
}

/** SMS nearly always, WeChat often, e-mail only with an address to send to. */
function consentChannels(random: Random, hasEmail: boolean): ConsentChannel[] {
  const channels: ConsentChannel[] = [];
  if (random.chance(0.9)) channels.push('sms');
  if (random.chance(0.6)) channels.push('wechat');
  if (hasEmail && random.chance(0.7)) channels.push('email');
  return channels.length > 0 ? channels : ['sms'];
}

export interface SeedMembersOptions {
  stores: SeededStore[];
  staff: SeededStaff[];
  count: number;
  /** The server's field keys: contact data is sealed exactly as a registration would seal it. */
  cipher: FieldCipher;
  cardPrefix: string;
}

export interface MembersResult {
  members: number;
  consents: number;
}

/**
 * Inserts the planned members with their card numbers, reserved as one block from the
 * server's card sequence so its next registration continues after them. Three passes over
 * the database: members (the plan streamed, contact data sealed), their referrers, then
 * their consents (the plan replayed rather than held in memory).
 */
export async function seedMembers(ctx: SeedContext, options: SeedMembersOptions): Promise<MembersResult> {
  const { sequelize } = ctx;
  const { count } = options;
  if (count === 0) return { members: 0, consents: 0 };
  const firstCard = await reserveInSequence(sequelize, CARD_SEQUENCE, count);
  const contact = new MemberContact(options.cipher);
  const storeIds = new Map(options.stores.map((store) => [store.code, store.id]));
  const userIds = new Map(options.staff.map((person) => [person.username, person.id]));
  const plan = () => planMembers(ctx.random.fork('members'), options.stores, options.staff, count, ctx.now);
  const batch = { chunkSize: ctx.chunkSize, onProgress: ctx.onProgress };

  const referrals: number[] = [];
  let consents = 0;
  function* memberRows(): Generator<Row> {
    for (const member of plan()) {
      if (member.referrer !== null) referrals.push(member.seq, member.referrer);
      consents += member.consents.length;
      const row = newMemberRow(
        {
          name: member.name,
          gender: member.gender,
          birthday: member.birthday,
          region: member.region,
          phone: member.phone,
          email: member.email,
          channel: member.channel,
          managerId: member.managerUsername === null ? null : userIds.get(member.managerUsername)!,
          notes: member.notes,
        },
        {},
        contact,
        { cardNo: formatCardNumber(options.cardPrefix, firstCard + member.seq - 1), homeStoreId: storeIds.get(member.storeCode)!, registeredAt: member.registeredAt },
      );
      const updatedAt = Math.max(member.registeredAt.getTime(), member.frozenAt?.getTime() ?? 0, member.lastVisitAt?.getTime() ?? 0);
      yield {
        id: member.seq,
        ...columns(row),
        status: member.status,
        frozen_reason: member.frozenReason,
        frozen_at: member.frozenAt,
        last_visit_at: member.lastVisitAt,
        created_at: member.registeredAt,
        updated_at: new Date(updatedAt),
      };
    }
  }
  await insertBatches(sequelize, 'members', memberRows(), { ...batch, total: count });
  await linkReferrers(sequelize, referrals);

  function* consentRows(): Generator<Row> {
    for (const member of plan()) {
      for (const channel of member.consents) {
        yield { member_id: member.seq, channel, granted: true, source: 'counter', actor_user_id: null, occurred_at: member.registeredAt };
      }
    }
  }
  await insertBatches(sequelize, 'member_consents', consentRows(), { ...batch, total: consents });
  return { members: count, consents };
}

/** Referrers are linked once every member is in: on MySQL a chunk may commit before the one holding its referrer. */
async function linkReferrers(sequelize: Sequelize, pairs: readonly number[]): Promise<void> {
  const perUpdate = 500;
  for (let i = 0; i < pairs.length; i += 2 * perUpdate) {
    let cases = '';
    const ids: number[] = [];
    for (let j = i; j < Math.min(pairs.length, i + 2 * perUpdate); j += 2) {
      // Ids the seeder numbered itself, never input: safe to write into the statement.
      cases += ` WHEN ${pairs[j]} THEN ${pairs[j + 1]}`;
      ids.push(pairs[j]);
    }
    await sequelize.query(`UPDATE members SET referrer_id = CASE id${cases} END WHERE id IN (${ids.join(',')})`);
  }
}

const columnNames = new Map<string, string>();

/** newMemberRow speaks in attributes (phoneLast4); a bulk insert names columns (phone_last4). */
function columns(record: Record<string, unknown>): Row {
  const row: Row = {};
  for (const [attribute, value] of Object.entries(record)) {
    let column = columnNames.get(attribute);
    if (column === undefined) {
      column = attribute.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
      columnNames.set(attribute, column);
    }
    row[column] = value;
  }
  return row;
}
