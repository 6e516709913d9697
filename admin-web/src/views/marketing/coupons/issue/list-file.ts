/**
 * The numbers of an uploaded list (phones or card numbers): a .txt or .csv read as text (a
 * CSV saved by Excel in China is often GB18030, not UTF-8), an .xlsx read from its first
 * sheet's first column. JSZip is loaded only when an .xlsx is chosen, so the page does not
 * carry it otherwise.
 */

/** What the server takes in one list (its MAX_TARGET_ITEMS). */
export const MAX_LIST_VALUES = 10_000;

/** A value that may name a member: a phone or a card number, no spaces or punctuation but dashes. */
const VALUE = /^[A-Za-z0-9-]{4,32}$/;

/** The lines of a pasted or uploaded list as values: the first cell of each line, header rows and blanks dropped, duplicates once. */
export function listValues(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const first = line.split(/[,\t;，]/)[0]?.trim().replace(/^"|"$/g, '').replace(/\s+/g, '') ?? '';
    if (VALUE.test(first)) seen.add(first);
  }
  return [...seen];
}

function decodeText(buffer: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

const XLSX_TYPE = /\.xlsx$/i;
const TEXT_TYPE = /\.(txt|csv)$/i;

export function isListFile(name: string): boolean {
  return XLSX_TYPE.test(name) || TEXT_TYPE.test(name);
}

/** The file's values, or throws with a message fit to show. */
export async function readListFile(file: File): Promise<string[]> {
  const buffer = await file.arrayBuffer();
  if (TEXT_TYPE.test(file.name)) return listValues(decodeText(buffer));
  return listValues((await firstColumn(buffer)).join('\n'));
}

function parseXml(text: string): Document {
  return new DOMParser().parseFromString(text, 'application/xml');
}

/** Cells of column A of the workbook's first sheet, as text. */
async function firstColumn(buffer: ArrayBuffer): Promise<string[]> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(buffer);
  const read = async (path: string) => {
    const entry = zip.file(path);
    if (!entry) throw new Error(path);
    return parseXml(await entry.async('text'));
  };
  const sheetPath = firstSheetPath(zip.file('xl/workbook.xml') ? await read('xl/workbook.xml') : null, zip.file('xl/_rels/workbook.xml.rels') ? await read('xl/_rels/workbook.xml.rels') : null);
  const shared = zip.file('xl/sharedStrings.xml') ? [...(await read('xl/sharedStrings.xml')).getElementsByTagName('si')].map((si) => si.textContent ?? '') : [];
  const sheet = await read(sheetPath);
  const values: string[] = [];
  for (const cell of sheet.getElementsByTagName('c')) {
    if (!/^A\d+$/.test(cell.getAttribute('r') ?? '')) continue;
    const type = cell.getAttribute('t');
    const raw = cell.getElementsByTagName('v')[0]?.textContent ?? '';
    if (type === 's') values.push(shared[Number(raw)] ?? '');
    else if (type === 'inlineStr') values.push(cell.getElementsByTagName('is')[0]?.textContent ?? '');
    else values.push(raw);
  }
  return values;
}

/** The first sheet's part: the workbook names it by relationship id; the usual name otherwise. */
function firstSheetPath(workbook: Document | null, rels: Document | null): string {
  const fallback = 'xl/worksheets/sheet1.xml';
  const sheet = workbook?.getElementsByTagName('sheet')[0];
  const id = sheet?.getAttribute('r:id') ?? sheet?.getAttributeNS('http://schemas.openxmlformats.org/officeDocument/2006/relationships', 'id');
  if (!id || !rels) return fallback;
  const target = [...rels.getElementsByTagName('Relationship')].find((rel) => rel.getAttribute('Id') === id)?.getAttribute('Target');
  if (!target) return fallback;
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}
