import { regionData, type DataItem } from 'element-china-area-data';
import { CITIES, MALLS, STREET_SUFFIXES, STREETS, type City } from './places.js';
import { weightedPicker, type Random } from './random.js';

/**
 * Realistic Chinese demo data. Every function draws only from the Random it is given, so
 * a seed reproduces the data; none of them touches the database.
 */

/**
 * Surnames with their approximate share of the population in ‰, after the Ministry of
 * Public Security's household-registration name reports. The top five alone cover about
 * 30% of people, which is what a member list should look like.
 */
const SURNAME_SHARES =
  '王71.5 李70.6 张66.5 刘54.3 陈45.5 杨32.3 黄22.3 赵20.4 吴19.7 周18.8 徐13.9 孙13.6 马12.9 朱12.6 胡12.6 ' +
  '郭12.4 何11.6 林11.3 高11.2 罗9.4 郑8.9 梁8.5 谢7.5 宋7.2 唐7.1 许6.6 韩6.5 冯6.3 邓6.3 曹5.9 彭5.6 曾5.5 ' +
  '肖5.3 田5.2 董5.0 袁4.9 潘4.8 于4.7 蒋4.6 蔡4.6 余4.5 杜4.4 叶4.3 程4.2 苏4.1 魏4.0 吕3.9 丁3.8 任3.7 ' +
  '沈3.6 姚3.5 卢3.4 姜3.3 崔3.2 钟3.1 谭3.0 陆2.9 汪2.8 范2.7 金2.6 石2.5 廖2.4 贾2.3 夏2.2 韦2.1 付2.1 ' +
  '方2.0 白2.0 邹1.9 孟1.9 熊1.9 秦1.8 邱1.8 江1.8 尹1.7 薛1.7 闫1.6 段1.6 雷1.6 侯1.5 龙1.5 史1.5 陶1.4 ' +
  '黎1.4 贺1.4 顾1.3 毛1.3 郝1.3 龚1.2 邵1.2 万1.2 钱1.1 严1.1 覃1.0 武1.0 戴1.0 莫1.0 孔1.0 向1.0 汤1.0';

const SURNAMES: ReadonlyArray<readonly [string, number]> = SURNAME_SHARES.split(' ').map(
  (entry) => [entry[0], Number(entry.slice(1))] as const,
);

/** Given names common across the generations a member list spans, from 秀英 to 梓涵. */
const GIVEN_NAMES = {
  female: {
    double: words(
      '欣怡 梓涵 诗涵 子涵 雨桐 可馨 思琪 佳怡 梦瑶 晓雯 雅琴 婷婷 丽娟 秀英 海燕 春梅 晓燕 慧敏 静怡 雨欣 佳琪 心怡 ' +
        '若曦 一诺 紫萱 雨涵 思雨 嘉怡 文静 美玲 凤英 玉梅 丽萍 淑珍 芳芳 晓丽 雪梅 桂兰 秀兰 玉兰 丽华 红梅 ' +
        '艳红 晓红 小燕 金凤 雅婷 诗琪 欣妍 语桐 梓萱 依诺 晨曦 安琪 梦洁 月婷 佳慧 思彤 梓琳 欣然 静雯 舒婷',
    ),
    single: words('静 敏 丽 娜 芳 洁 琳 倩 颖 婷 燕 霞 玲 萍 雪 娟 红 艳 琴 悦'),
  },
  male: {
    double: words(
      '浩然 宇轩 子轩 浩宇 俊杰 志强 建华 建国 明轩 梓豪 一鸣 天佑 博文 家豪 俊熙 子墨 皓轩 思远 文博 志明 国强 ' +
        '海峰 建军 晓东 永强 志刚 立新 振华 鹏飞 宏伟 子健 俊峰 嘉诚 铭泽 宇航 睿哲 晨阳 逸凡 金龙 建平 国华 ' +
        '卫东 德明 春生 小龙 文杰 宇辰 梓睿 沐阳 奕辰 承泽 俊宇 子豪 泽宇 浩轩 明哲 嘉乐 锦程 天宇 昊然',
    ),
    single: words('伟 磊 强 军 勇 杰 涛 斌 超 鹏 浩 峰 刚 辉 明 亮 健 毅 波 林'),
  },
} as const;

export type Gender = 'female' | 'male';

export interface PersonName {
  name: string;
  gender: Gender;
}

const pickSurname = weightedPicker(SURNAMES);

/** A 2–3 character name: one surname, then a given name of one (about 1 in 7) or two characters. */
export function personName(random: Random, gender: Gender = random.chance(0.5) ? 'female' : 'male'): PersonName {
  const pool = GIVEN_NAMES[gender];
  const given = random.chance(0.14) ? random.pick(pool.single) : random.pick(pool.double);
  return { name: pickSurname(random) + given, gender };
}

/**
 * Mainland mobile prefixes in use by China Mobile, China Unicom, China Telecom and China
 * Broadnet. 14x (data-only) and 16x/17[0-1] (virtual operators) are left out on purpose:
 * members rarely register with them.
 */
const MOBILE_PREFIXES = words(
  '134 135 136 137 138 139 150 151 152 157 158 159 172 178 182 183 184 187 188 195 197 198 ' +
    '130 131 132 155 156 175 176 185 186 196 ' +
    '133 153 173 177 180 181 189 190 191 193 199 ' +
    '192',
);

export function mobileNumber(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + random.digits(8);
}

/**
 * Mail providers people in China register with, by rough share. QQ Mail addresses are
 * mostly the QQ number itself; the others read like pinyin with a year or lucky digits.
 */
const pickMailDomain = weightedPicker([
  ['qq.com', 45],
  ['163.com', 20],
  ['126.com', 8],
  ['foxmail.com', 6],
  ['outlook.com', 6],
  ['sina.com', 5],
  ['gmail.com', 4],
  ['139.com', 6],
] as const);

const PINYIN = words(
  'wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie song tang han ' +
    'xiao ming hong yu jia hao wen jie ting na fang jing min lei qiang jun yong tao bin chao peng feng hui yan ling ' +
    'xin yi zi rui ze yue xue mei lan hua dong',
);

/** e.g. 583920174@qq.com, wenjie1988@163.com, lina_520@126.com */
export function emailAddress(random: Random): string {
  const domain = pickMailDomain(random);
  if (domain === 'qq.com' && random.chance(0.8)) return `${random.int(1, 9)}${random.digits(random.int(5, 9))}@qq.com`;
  let local = random.pick(PINYIN) + random.pick(PINYIN);
  if (random.chance(0.3)) local += random.pick(PINYIN);
  if (random.chance(0.2)) local += random.pick(['_', '.']);
  if (random.chance(0.7)) local += random.chance(0.5) ? String(random.int(1960, 2006)) : random.pick(['520', '666', '888', '123', '007']) + random.digits(random.int(0, 2));
  return `${local}@${domain}`;
}

/** A landline such as 021-64381234; local numbers never start with 0, 1 or 9. */
export function landline(random: Random, city: City): string {
  return `${city.areaCode}-${random.int(2, 8)}${random.digits(city.landlineDigits - 1)}`;
}

/** Province, city and district as people write them; municipalities are named once. */
export function regionLabel(city: City, district: string): string {
  return [...new Set([city.province, city.city]), district].join(' ');
}

const regionCodes = new Map<string, string>();

/**
 * The division code of a district as the member form's region cascader stores it (440305
 * for 深圳市 南山区), found by walking element-china-area-data's names. A municipality's
 * districts sit under 市辖区 or 县, so every child of its province is searched. A district
 * the data lacks falls back to its city's code, else its province's.
 */
export function regionCode(city: City, district: string): string {
  const key = `${city.province}/${city.city}/${district}`;
  let code = regionCodes.get(key);
  if (code === undefined) {
    code = lookupRegionCode(city, district);
    regionCodes.set(key, code);
  }
  return code;
}

function lookupRegionCode(city: City, district: string): string {
  const province = regionData.find((node) => node.label === city.province);
  if (!province) throw new Error(`${city.province} is not a province in element-china-area-data`);
  const municipality = city.province === city.city;
  const cities: DataItem[] = (province.children ?? []).filter((node) => municipality || node.label === city.city);
  const found = cities.flatMap((node) => node.children ?? []).find((node) => node.label === district);
  if (found) return found.value;
  return !municipality && cities.length > 0 ? cities[0].value : province.value;
}

/** e.g. 广东省深圳市南山区科技南路88号万象城2层L2-06 */
export function streetAddress(random: Random, city: City, district: string): string {
  const street = random.pick(STREETS) + random.pick(STREET_SUFFIXES);
  const number = random.int(1, 60) * random.pick([1, 2, 3, 6]);
  const floor = random.int(1, 4);
  const unit = `L${floor}-${String(random.int(1, 40)).padStart(2, '0')}`;
  return `${[...new Set([city.province, city.city])].join('')}${district}${street}${number}号${random.pick(MALLS)}${floor}层${unit}`;
}

/** Brand names for the demo chain: a beauty salon, tea shop, gym, bakery or pet shop. */
export const BRANDS = ['悦享美业', '禾木茶饮', '力行健身', '麦香烘焙', '萌宠之家', '拾光摄影'] as const;

export interface StoreSite {
  /** ASCII, unique per site: `sh-xuhui`, then `sh-xuhui-2` for a second store in the district. */
  slug: string;
  city: City;
  district: string;
  /** Short district name without 区/新区, as a store is called: 徐汇, 浦东. */
  shortDistrict: string;
  /** 1 for the first store in a district. */
  ordinal: number;
}

/**
 * Where `count` stores stand. A chain grows from a home city: its districts come first,
 * then one district in each other city, round after round, and only then second stores
 * in a district.
 */
export function storeSites(random: Random, count: number): StoreSite[] {
  const [home, ...others] = random.shuffle(CITIES);
  const rounds: Array<Array<[City, readonly [string, string]]>> = [random.shuffle(home.districts).map((d) => [home, d])];
  const queues = others.map((city) => ({ city, districts: random.shuffle(city.districts) }));
  for (;;) {
    const round = queues.flatMap(({ city, districts }) => {
      const district = districts.shift();
      return district ? [[city, district] as [City, readonly [string, string]]] : [];
    });
    if (round.length === 0) break;
    rounds.push(round);
  }
  const everyDistrict = rounds.flat();
  const sites: StoreSite[] = [];
  for (let i = 0; i < count; i++) {
    const [city, [district, pinyin]] = everyDistrict[i % everyDistrict.length];
    const ordinal = Math.floor(i / everyDistrict.length) + 1;
    const base = `${city.slug}-${pinyin}`;
    sites.push({
      slug: ordinal === 1 ? base : `${base}-${ordinal}`,
      city,
      district,
      shortDistrict: district.length > 2 ? district.replace(/(新区|回族区|区)$/, '') : district,
      ordinal,
    });
  }
  return sites;
}

const ORDINALS = ['', '', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** e.g. 悦享美业 徐汇店, 悦享美业 徐汇二店 */
export function storeName(brand: string, site: StoreSite): string {
  const ordinal = site.ordinal < ORDINALS.length ? ORDINALS[site.ordinal] : String(site.ordinal);
  return `${brand} ${site.shortDistrict}${ordinal}店`;
}

/**
 * A moment between `from` and `to` inside shop hours in China (09:00–21:00 UTC+8), to the
 * millisecond, so created_at columns look like people did the work.
 */
export function businessTime(random: Random, from: Date, to: Date): Date {
  const dayMs = 86_400_000;
  const china = 8 * 3_600_000;
  const firstDay = Math.floor((from.getTime() + china) / dayMs);
  const lastDay = Math.floor((to.getTime() + china) / dayMs);
  const day = random.int(firstDay, Math.max(firstDay, lastDay));
  const moment = day * dayMs - china + random.int(9 * 3_600_000, 21 * 3_600_000 - 1);
  return new Date(Math.min(Math.max(moment, from.getTime()), to.getTime()));
}

/**
 * Wraps a generator so it never returns a value twice, e.g. for unique mobile numbers.
 * Gives up after `attempts` tries in a row, which means the value space is exhausted.
 */
export function unique<T>(generate: () => T, attempts = 1000): () => T {
  const seen = new Set<T>();
  return () => {
    for (let i = 0; i < attempts; i++) {
      const value = generate();
      if (!seen.has(value)) {
        seen.add(value);
        return value;
      }
    }
    throw new Error(`no new value after ${attempts} attempts (${seen.size} generated)`);
  };
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
