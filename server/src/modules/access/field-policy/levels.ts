/**
 * What a role may do with one field, from least to most: not see it, see it masked,
 * read it, change it. Each level includes the ones below it.
 */
export const FIELD_LEVELS = ['hidden', 'masked', 'read', 'edit'] as const;

export type FieldLevel = (typeof FIELD_LEVELS)[number];

export function levelRank(level: FieldLevel): number {
  return FIELD_LEVELS.indexOf(level);
}

/** The more permissive of two levels: a user's roles add up, they never subtract. */
export function morePermissive(a: FieldLevel, b: FieldLevel): FieldLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}
