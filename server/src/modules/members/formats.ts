import { isDateText } from './form/value-formats.js';
import { regionName } from './region-data.js';

/**
 * Formats of the built-in member fields. Region codes come from China's administrative
 * divisions as the element-china-area-data package ships them (see form/region-codes.ts).
 */

/** Province, city and district names of a code, e.g. 北京市 / 市辖区 / 东城区. */
export function regionNames(code: string): string[] {
  return [2, 4, 6, 9]
    .filter((length) => length <= code.length)
    .map((length) => regionName(code.slice(0, length)))
    .filter((name): name is string => typeof name === 'string');
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A resident ID number: 18 characters whose last one is the GB 11643 check character, with a real birth date. */
export function isResidentIdNumber(value: string): boolean {
  const id = value.replace(/\s/g, '').toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  if (ID_CHECK[sum % 11] !== id[17]) return false;
  return isDateText(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`);
}
