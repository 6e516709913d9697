import { expect } from 'chai';
import { codeToText } from 'element-china-area-data';
import {
  businessTime,
  emailAddress,
  landline,
  mobileNumber,
  personName,
  regionCode,
  storeName,
  storeSites,
  streetAddress,
  unique,
} from '../../server/src/cli/seed/generators.js';
import { planMembers, type MemberPlan } from '../../server/src/cli/seed/members.js';
import { CITIES } from '../../server/src/cli/seed/places.js';
import { Random, weightedPicker } from '../../server/src/cli/seed/random.js';
import { shopHoursTime } from '../../server/src/cli/seed/shop-clock.js';
import { planStaff } from '../../server/src/cli/seed/staff.js';
import { planStores, storeCode } from '../../server/src/cli/seed/stores.js';
import { isFullEmail } from '../../server/src/modules/access/field-policy/formats.js';
import { isDateText } from '../../server/src/modules/members/form/index.js';

const NOW = new Date('2026-11-23T04:00:00.000Z');
const sample = <T>(count: number, make: (random: Random) => T, seed = '7') => {
  const random = new Random(seed);
  return Array.from({ length: count }, () => make(random));
};
/** 09:00–20:59 in China, where every generated time of day falls. */
const chinaHour = (date: Date) => (date.getUTCHours() + 8) % 24;
const city = (slug: string) => CITIES.find((c) => c.slug === slug)!;

describe('seed generators', () => {
  describe('Random', () => {
    it('gives the same sequence for the same seed and another for another seed', () => {
      const a = sample(20, (r) => r.next(), '42');
      expect(sample(20, (r) => r.next(), '42')).to.deep.equal(a);
      expect(sample(20, (r) => r.next(), '43')).to.not.deep.equal(a);
      for (const value of a) expect(value).to.be.within(0, 1 - Number.EPSILON);
    });

    it('forks streams that do not depend on how much the parent has drawn', () => {
      const fresh = new Random('42');
      const used = new Random('42');
      for (let i = 0; i < 100; i++) used.next();
      expect(sample(5, () => used.fork('stores').next())).to.deep.equal(sample(5, () => fresh.fork('stores').next()));
      expect(fresh.fork('stores').next()).to.not.equal(fresh.fork('staff').next());
    });

    it('keeps int() inside its bounds and reaches both ends', () => {
      const values = new Set(sample(2000, (r) => r.int(3, 7)));
      expect([...values].sort()).to.deep.equal([3, 4, 5, 6, 7]);
    });

    it('picks weighted entries in proportion to their weights', () => {
      const pick = weightedPicker([['common', 9], ['rare', 1]] as const);
      const picks = sample(10_000, (r) => pick(r));
      const rare = picks.filter((value) => value === 'rare').length;
      expect(rare).to.be.within(800, 1200);
    });
  });

  describe('people', () => {
    it('makes names of 2 or 3 Chinese characters, deterministically', () => {
      const names = sample(5000, (r) => personName(r).name);
      for (const name of names) expect(name).to.match(/^[\u4e00-\u9fff]{2,3}$/);
      expect(sample(5000, (r) => personName(r).name)).to.deep.equal(names);
      expect(new Set(names).size).to.be.above(1000);
    });

    it('draws surnames by real frequency: 王, 李 and 张 lead, rare ones still appear', () => {
      const surnames = sample(20_000, (r) => personName(r).name[0]);
      const share = (s: string) => surnames.filter((x) => x === s).length / surnames.length;
      expect(share('王')).to.be.within(0.05, 0.09);
      expect(share('王')).to.be.above(share('周') * 2);
      expect(share('汤')).to.be.above(0);
    });

    it('honours a requested gender', () => {
      for (const person of sample(50, (r) => personName(r, 'female'))) expect(person.gender).to.equal('female');
    });

    it('makes mainland mobile numbers with real 13x/15x/17x/18x/19x prefixes', () => {
      const numbers = sample(5000, mobileNumber);
      for (const number of numbers) expect(number).to.match(/^1[3-9]\d{9}$/).and.match(/^1[35789]/);
      expect(sample(5000, mobileNumber)).to.deep.equal(numbers);
    });

    it('makes e-mail addresses that pass the member form, deterministically', () => {
      const addresses = sample(2000, emailAddress);
      for (const address of addresses) expect(isFullEmail(address), address).to.equal(true);
      expect(sample(2000, emailAddress)).to.deep.equal(addresses);
      expect(addresses.filter((a) => a.endsWith('@qq.com')).length).to.be.within(700, 1100);
    });

    it('makes unique values on request and says when the space runs out', () => {
      const random = new Random('1');
      const digit = unique(() => random.digits(1), 200);
      expect(new Set(Array.from({ length: 10 }, digit)).size).to.equal(10);
      expect(digit).to.throw(/no new value/);
    });
  });

  describe('places and stores', () => {
    it('makes landlines by each city’s numbering plan and plausible street addresses', () => {
      const random = new Random('3');
      const shanghai = CITIES.find((city) => city.slug === 'sh')!;
      const xiamen = CITIES.find((city) => city.slug === 'xm')!;
      expect(landline(random, shanghai)).to.match(/^021-[2-8]\d{7}$/);
      expect(landline(random, xiamen)).to.match(/^0592-[2-8]\d{6}$/);
      expect(streetAddress(random, shanghai, '徐汇区')).to.match(/^上海市徐汇区.+\d+号.+\d层L\d-\d\d$/);
    });

    it('gives every site a unique ASCII slug, even with more stores than districts', () => {
      for (const count of [1, 8, 50, 300]) {
        const sites = storeSites(new Random('9'), count);
        expect(sites).to.have.length(count);
        expect(new Set(sites.map((site) => site.slug)).size).to.equal(count);
        for (const site of sites) expect(site.slug).to.match(/^[a-z]+-[a-z]+(-\d+)?$/);
      }
    });

    it('codes stores S001, S002, … in opening order', () => {
      const { stores } = planStores(new Random('9'), 12, NOW);
      expect(stores.map((store) => store.code)).to.deep.equal(Array.from({ length: 12 }, (_, i) => `S${String(i + 1).padStart(3, '0')}`));
      for (let i = 1; i < stores.length; i++) expect(stores[i].createdAt.getTime()).to.be.at.least(stores[i - 1].createdAt.getTime());
      expect(storeCode(999)).to.equal('S1000');
    });

    it('grows from a home city before opening elsewhere', () => {
      const sites = storeSites(new Random('9'), 4);
      expect(new Set(sites.map((site) => site.city.slug)).size).to.equal(1);
    });

    it('names stores brand + district, numbering a second store in a district', () => {
      const [site] = storeSites(new Random('9'), 1);
      expect(storeName('悦享美业', { ...site, shortDistrict: '徐汇', ordinal: 1 })).to.equal('悦享美业 徐汇店');
      expect(storeName('悦享美业', { ...site, shortDistrict: '浦东', ordinal: 2 })).to.equal('悦享美业 浦东二店');
      const names = storeSites(new Random('9'), 200).map((s) => storeName('悦享美业', s));
      expect(new Set(names).size).to.equal(200);
    });

    it('plans the same stores and staff for the same seed and clock', () => {
      const plan = () => {
        const random = new Random('20261123');
        const { brand, stores } = planStores(random.fork('stores'), 12, NOW);
        return { brand, stores, staff: planStaff(random.fork('staff'), stores, 4, NOW) };
      };
      expect(plan()).to.deep.equal(plan());
    });

    it('plans the first stores of a bigger run when asked for fewer', () => {
      const codes = (count: number) => planStores(new Random('11'), count, NOW).stores.map((store) => [store.code, store.name, store.address]);
      expect(codes(50).slice(0, 8)).to.deep.equal(codes(8));
    });

    it('plans the named accounts in S001 and S002 and generated names elsewhere', () => {
      const { stores } = planStores(new Random('5'), 3, NOW);
      const staff = planStaff(new Random('6'), stores, 3, NOW);
      expect(staff.map((person) => [person.username, person.role, person.storeCode])).to.deep.equal([
        ['manager1', 'store_manager', 'S001'],
        ['cashier1', 'cashier', 'S001'],
        ['s001-c2', 'cashier', 'S001'],
        ['manager2', 'store_manager', 'S002'],
        ['cashier2', 'cashier', 'S002'],
        ['s002-c2', 'cashier', 'S002'],
        ['s003-mgr', 'store_manager', 'S003'],
        ['s003-c1', 'cashier', 'S003'],
        ['s003-c2', 'cashier', 'S003'],
        ['auditor1', 'auditor', 'S001'],
        ['itops1', 'it_ops', 'S001'],
      ]);
    });

    it('refuses to plan staff with no room for the named accounts', () => {
      const { stores } = planStores(new Random('5'), 2, NOW);
      expect(() => planStaff(new Random('6'), stores.slice(0, 1), 4, NOW)).to.throw(RangeError, /at least 2 stores/);
      expect(() => planStaff(new Random('6'), stores, 1, NOW)).to.throw(RangeError, /2 accounts each/);
    });

    it('plans usernames that are unique and ASCII, times in the past during shop hours', () => {
      const { stores } = planStores(new Random('5'), 60, NOW);
      const staff = planStaff(new Random('6'), stores, 4, NOW);
      expect(staff).to.have.length(60 * 4 + 2);
      expect(new Set(staff.map((person) => person.username)).size).to.equal(staff.length);
      for (const person of staff) {
        expect(person.username).to.match(/^[a-z0-9-]+$/);
        expect(person.createdAt.getTime()).to.be.at.most(NOW.getTime());
        expect(chinaHour(person.createdAt)).to.be.within(9, 20);
      }
      for (const store of stores) expect(store.createdAt.getTime()).to.be.below(store.updatedAt.getTime() + 1);
      expect(staff.filter((p) => p.role === 'store_manager')).to.have.length(60);
      const closed = new Set(stores.filter((store) => store.status === 'closed').map((store) => store.code));
      expect(closed.size).to.be.within(1, 20);
      for (const person of staff) expect(person.status).to.equal(closed.has(person.storeCode) ? 'disabled' : 'active');
    });

    it('maps every demo district to its division code, as the region cascader stores it', () => {
      expect(regionCode(city('sz'), '南山区')).to.equal('440305');
      expect(regionCode(city('sh'), '徐汇区')).to.equal('310104');
      expect(regionCode(city('cq'), '渝中区')).to.equal('500103');
      expect(regionCode(city('zz'), '管城回族区')).to.equal('410104');
      for (const place of CITIES) {
        for (const [district] of place.districts) {
          const code = regionCode(place, district);
          expect(code, `${place.city} ${district}`).to.match(/^\d{6}$/);
          expect(codeToText[code]).to.equal(district);
        }
      }
    });

    it('falls back to the city’s code, else the province’s, for a district the data lacks', () => {
      expect(regionCode(city('sz'), '前海区')).to.equal('4403');
      expect(regionCode(city('sh'), '浦西区')).to.equal('31');
      expect(regionCode({ ...city('sz'), city: '鹏城市' }, '南山区')).to.equal('44');
    });

    it('keeps business times inside the requested window', () => {
      const from = new Date('2026-01-01T00:00:00Z');
      const to = new Date('2026-01-03T00:00:00Z');
      for (const moment of sample(500, (r) => businessTime(r, from, to))) {
        expect(moment.getTime()).to.be.within(from.getTime(), to.getTime());
      }
    });
  });

  describe('members', () => {
    const plan = (count: number, seed = '21', stores = 8) => {
      const random = new Random(seed);
      const planned = planStores(random.fork('stores'), stores, NOW);
      const staff = planStaff(random.fork('staff'), planned.stores, 4, NOW);
      return { stores: planned.stores, staff, members: [...planMembers(random.fork('members'), planned.stores, staff, count, NOW)] };
    };
    const { stores, staff, members } = plan(3000);
    const storeOf = (member: MemberPlan) => stores.find((store) => store.code === member.storeCode)!;

    it('plans the same members for the same seed and clock, and none for 0', () => {
      expect(plan(300).members).to.deep.equal(plan(300).members);
      expect(plan(300, '22').members.map((m) => m.name)).to.not.deep.equal(plan(300).members.map((m) => m.name));
      expect(plan(0).members).to.deep.equal([]);
    });

    it('numbers members 1, 2, … in registration order, in shop hours, while their store was open', () => {
      expect(members.map((m) => m.seq)).to.deep.equal(Array.from({ length: 3000 }, (_, i) => i + 1));
      for (let i = 1; i < members.length; i++) expect(members[i].registeredAt.getTime()).to.be.at.least(members[i - 1].registeredAt.getTime());
      for (const member of members) {
        const store = storeOf(member);
        const last = store.status === 'closed' ? store.updatedAt : NOW;
        expect(member.registeredAt.getTime()).to.be.within(store.createdAt.getTime(), last.getTime());
        expect(chinaHour(member.registeredAt)).to.be.within(9, 20);
      }
    });

    it('gives older stores more members and every store some, closed ones included', () => {
      const counts = stores.map((store) => members.filter((m) => m.storeCode === store.code).length);
      expect(counts.every((n) => n > 0)).to.equal(true);
      // S001 opened first and never closes; the newest store has had weeks, not years.
      expect(counts[0]).to.be.above(counts[counts.length - 1]);
      const { stores: many, members: spread } = plan(5000, '23', 50);
      const closed = new Set(many.filter((store) => store.status === 'closed').map((store) => store.code));
      expect(closed.size).to.be.above(0);
      const atClosed = spread.filter((m) => closed.has(m.storeCode)).length;
      expect(atClosed).to.be.above(0).and.below((5000 * closed.size) / many.length);
    });

    it('gives unique mobiles, real birthdays from 1955 to 2006, and regions in the home store’s city', () => {
      expect(new Set(members.map((m) => m.phone)).size).to.equal(members.length);
      for (const member of members) {
        expect(member.phone).to.match(/^1[3-9]\d{9}$/);
        expect(member.name).to.match(/^[\u4e00-\u9fff]{2,3}$/);
        expect(member.gender).to.be.oneOf(['female', 'male']);
        if (member.birthday !== null) {
          expect(isDateText(member.birthday), member.birthday).to.equal(true);
          expect(member.birthday >= '1955-01-01' && member.birthday <= '2006-12-31', member.birthday).to.equal(true);
        }
        if (member.region !== null) {
          expect(member.region).to.match(/^\d{6}$/);
          expect(member.region.slice(0, 4)).to.equal(regionCode(storeOf(member).site.city, storeOf(member).site.district).slice(0, 4));
        }
        if (member.email !== null) expect(isFullEmail(member.email)).to.equal(true);
      }
      const share = (test: (m: MemberPlan) => boolean) => members.filter(test).length / members.length;
      expect(share((m) => m.birthday !== null)).to.be.within(0.85, 0.97);
      expect(share((m) => m.email !== null)).to.be.within(0.18, 0.32);
      expect(share((m) => m.region === regionCode(storeOf(m).site.city, storeOf(m).site.district))).to.be.within(0.55, 0.8);
    });

    it('signs members up over the counter, the mini program, posters and referrals by earlier members of the store', () => {
      expect(new Set(members.map((m) => m.channel))).to.deep.equal(new Set(['counter', 'miniapp', 'poster', 'referral']));
      const bySeq = new Map(members.map((m) => [m.seq, m]));
      for (const member of members) {
        if (member.channel !== 'referral') {
          expect(member.referrer).to.equal(null);
          continue;
        }
        const referrer = bySeq.get(member.referrer!)!;
        expect(referrer.seq).to.be.below(member.seq);
        expect(referrer.storeCode).to.equal(member.storeCode);
      }
    });

    it('gives about 30% an account manager from their store’s staff, hired by then', () => {
      const managed = members.filter((m) => m.managerUsername !== null);
      expect(managed.length / members.length).to.be.within(0.2, 0.35);
      for (const member of managed) {
        const adviser = staff.find((person) => person.username === member.managerUsername)!;
        expect(adviser.storeCode).to.equal(member.storeCode);
        expect(adviser.role).to.be.oneOf(['store_manager', 'cashier']);
        expect(adviser.createdAt.getTime()).to.be.at.most(member.registeredAt.getTime());
      }
    });

    it('freezes a few with a reason, and times visits and freezes after registration', () => {
      const frozen = members.filter((m) => m.status === 'frozen');
      expect(frozen.length).to.be.within(10, 100);
      for (const member of frozen) {
        expect(member.frozenReason).to.be.a('string').and.not.equal('');
        expect(member.frozenAt!.getTime()).to.be.within(member.registeredAt.getTime(), NOW.getTime());
        if (member.lastVisitAt) expect(member.lastVisitAt.getTime()).to.be.at.most(member.frozenAt!.getTime());
      }
      for (const member of members.filter((m) => m.status === 'normal')) expect(member.frozenReason).to.equal(null);
      const visited = members.filter((m) => m.lastVisitAt !== null);
      expect(visited.length / members.length).to.be.within(0.78, 0.92);
      for (const member of visited) {
        const store = storeOf(member);
        expect(member.lastVisitAt!.getTime()).to.be.within(member.registeredAt.getTime(), (store.status === 'closed' ? store.updatedAt : NOW).getTime());
      }
      expect(members.filter((m) => m.notes !== null).length / members.length).to.be.within(0.04, 0.12);
    });

    it('records marketing consent for about half, e-mail only with an address', () => {
      const consenting = members.filter((m) => m.consents.length > 0);
      expect(consenting.length / members.length).to.be.within(0.42, 0.58);
      for (const member of consenting) {
        expect(new Set(member.consents).size).to.equal(member.consents.length);
        if (member.consents.includes('email')) expect(member.email).to.not.equal(null);
      }
    });

    it('spreads shop-hours times over the window without piling them on its ends', () => {
      const from = new Date('2026-11-22T03:00:00Z');
      const to = new Date('2026-11-23T02:00:00Z');
      const moments = sample(2000, (r) => shopHoursTime(r, from, to));
      for (const moment of moments) {
        expect(moment.getTime()).to.be.within(from.getTime(), to.getTime());
        expect(chinaHour(moment)).to.be.within(9, 20);
      }
      expect(moments.filter((m) => m.getTime() === to.getTime()).length).to.be.below(3);
    });
  });
});
