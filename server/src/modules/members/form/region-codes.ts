import { regionName } from '../region-data.js';

/**
 * Region values are the administrative codes of element-china-area-data, the data behind
 * the console's cascader: '44' (province), '4403' (city), '440305' (district). The four
 * cities without districts (东莞, 中山, 儋州, 嘉峪关) list their towns instead, with
 * 9-digit codes such as '441900003'; the cascader offers them, so they are accepted too.
 * A district code starts with its city's, which starts with its province's, so "members
 * in 广东" is a prefix match on '44'.
 */
const REGION_CODE = /^\d{2}(?:\d{2}(?:\d{2}|\d{5})?)?$/;

export function isRegionCode(code: string): boolean {
  return REGION_CODE.test(code) && regionName(code) !== undefined;
}

