import { expect } from 'chai';
import {
  businessTime,
  landline,
  mobileNumber,
  personName,
  storeName,
  storeSites,
  streetAddress,
  unique,
} from '../../server/src/cli/seed/generators.js';
import { CITIES } from '../../server/src/cli/seed/places.js';
import { Random, weightedPicker } from '../../server/src/cli/seed/random.js';
import { planStaff } from '../../server/src/cli/seed/staff.js';
import { planStores, storeCode } from '../../server/src/cli/seed/stores.js';

const NOW = new Date('2026-11-23T04:00:00.000Z');
const sample = <T>(count: number, make: (random: Random) => T, seed = '7') => {
  const random = new Random(seed);
  return Array.from({ length: count }, () => make(random));
};

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
        const chinaHour = (person.createdAt.getUTCHours() + 8) % 24;
        expect(chinaHour).to.be.within(9, 20);
      }
      for (const store of stores) expect(store.createdAt.getTime()).to.be.below(store.updatedAt.getTime() + 1);
      expect(staff.filter((p) => p.role === 'store_manager')).to.have.length(60);
      const closed = new Set(stores.filter((store) => store.status === 'closed').map((store) => store.code));
      expect(closed.size).to.be.within(1, 20);
      for (const person of staff) expect(person.status).to.equal(closed.has(person.storeCode) ? 'disabled' : 'active');
    });

    it('keeps business times inside the requested window', () => {
      const from = new Date('2026-01-01T00:00:00Z');
      const to = new Date('2026-01-03T00:00:00Z');
      for (const moment of sample(500, (r) => businessTime(r, from, to))) {
        expect(moment.getTime()).to.be.within(from.getTime(), to.getTime());
      }
    });
  });
});
