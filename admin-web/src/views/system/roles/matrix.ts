import type { LocalizedLabel, PermissionGroup } from '@/api/roles';

/** Columns come in this order; actions not listed follow in the order the server names them. */
const ACTION_ORDER = ['view', 'create', 'update', 'delete', 'export', 'import', 'reveal'];

export interface MatrixColumn {
  action: string;
  label: LocalizedLabel;
}

export type CheckState = 'all' | 'some' | 'none';

/** One column per action any resource has: view, create, update, delete, export, import, reveal, then the rest. */
export function matrixColumns(groups: readonly PermissionGroup[]): MatrixColumn[] {
  const seen = new Map<string, MatrixColumn>();
  for (const group of groups) {
    for (const action of group.actions) {
      if (!seen.has(action.action)) seen.set(action.action, { action: action.action, label: action.label });
    }
  }
  const rank = (action: string) => {
    const index = ACTION_ORDER.indexOf(action);
    return index === -1 ? ACTION_ORDER.length : index;
  };
  // Array.prototype.sort is stable: unlisted actions keep the server's order.
  return [...seen.values()].sort((a, b) => rank(a.action) - rank(b.action));
}

/** The permission code in a cell, or undefined where the resource has no such action. */
export function cellCode(group: PermissionGroup, action: string): string | undefined {
  return group.actions.find((item) => item.action === action)?.code;
}

export function columnCodes(groups: readonly PermissionGroup[], action: string): string[] {
  return groups.map((group) => cellCode(group, action)).filter((code): code is string => code !== undefined);
}

export function rowCodes(group: PermissionGroup): string[] {
  return group.actions.map((action) => action.code);
}

export function checkState(codes: readonly string[], selected: ReadonlySet<string>): CheckState {
  const held = codes.filter((code) => selected.has(code)).length;
  if (held === 0) return 'none';
  return held === codes.length ? 'all' : 'some';
}

/**
 * Turns codes on or off, keeping every other code the role holds, including codes this
 * console does not know (a newer server's): saving must not drop what it cannot show.
 */
export function toggleCodes(selected: readonly string[], codes: readonly string[], on: boolean): string[] {
  const next = new Set(selected);
  for (const code of codes) {
    if (on) next.add(code);
    else next.delete(code);
  }
  return [...next];
}

/** Codes the role holds that no group lists (kept on save, shown so nobody is surprised). */
export function unknownCodes(groups: readonly PermissionGroup[], selected: readonly string[]): string[] {
  const known = new Set(groups.flatMap(rowCodes));
  return selected.filter((code) => code !== '*' && !known.has(code));
}
