import type { FormItemRule } from 'element-plus';
import type { ComposerTranslation } from 'vue-i18n';

/** Inclusive bounds of a whole-number setting, as the server's schema has them. */
export interface IntBounds {
  min: number;
  max: number;
}

/** A required whole number within bounds (the input clamps as you type; a cleared input still needs saying). */
export function intRule(t: ComposerTranslation, bounds: IntBounds): FormItemRule[] {
  return [
    { required: true, type: 'number', message: t('loyalty.pointsSettings.rules.required'), trigger: 'change' },
    {
      validator: (_rule, value: unknown, callback) => {
        if (value === null || value === undefined) return callback();
        if (typeof value !== 'number' || !Number.isInteger(value)) return callback(new Error(t('loyalty.pointsSettings.rules.integer')));
        if (value < bounds.min || value > bounds.max) return callback(new Error(t('loyalty.pointsSettings.rules.range', { min: bounds.min, max: bounds.max })));
        callback();
      },
      trigger: 'change',
    },
  ];
}
