import { expect } from 'chai';
import {
  CUSTOM_FIELD_TYPES,
  CustomFieldDefinitionInput,
  FIELD_TYPES,
  assertNoFieldErrors,
  checkDefinitionChange,
  hasOptions,
  type CustomFieldDefinition,
  type CustomFieldDefinitionInput as DefinitionSubmission,
  type CustomFieldType,
} from '../../server/src/modules/members/form/index.js';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import { runWithRequestContext } from '../../server/src/platform/http/request-context.js';
import { toFieldErrors } from '../../server/src/platform/http/validation.js';

const SKIN_OPTIONS = [
  { value: 'dry', label: { zh: '干性', en: 'Dry' } },
  { value: 'oily', label: { zh: '油性', en: 'Oily' } },
];

function submission(type: CustomFieldType, more: Partial<DefinitionSubmission> = {}): DefinitionSubmission {
  const options = FIELD_TYPES[type].options ? SKIN_OPTIONS : undefined;
  return { key: 'skin_type', label: { zh: '肤质', en: 'Skin type' }, type, options, ...more };
}

function define(type: CustomFieldType, more: Partial<DefinitionSubmission> = {}): CustomFieldDefinition {
  return CustomFieldDefinitionInput.parse(submission(type, more));
}

/** The paths and messages a refused submission is answered with. */
function refusals(input: unknown): { path: string; message: string }[] {
  const result = CustomFieldDefinitionInput.safeParse(input);
  expect(result.success, 'expected the definition to be refused').to.equal(false);
  return toFieldErrors(result.error!).map(({ path, message }) => ({ path, message }));
}

const pathsOf = (input: unknown) => refusals(input).map((refusal) => refusal.path);

describe('member form: field definitions', () => {
  describe('what an admin may submit', () => {
    it('fills in everything an admin leaves out', () => {
      expect(CustomFieldDefinitionInput.parse({ key: 'nick_note', label: { zh: '备注名' }, type: 'text' })).to.deep.equal({
        key: 'nick_note',
        label: { zh: '备注名', en: '备注名' },
        type: 'text',
        required: false,
        unique: false,
        defaultValue: null,
        rules: { maxLength: 200 },
        options: [],
        helpText: null,
        group: null,
        order: 0,
        onRegistration: false,
        searchable: false,
      });
    });

    it('gives each type its default rules', () => {
      expect(define('textarea').rules).to.deep.equal({ maxLength: 2000 });
      expect(define('decimal').rules).to.deep.equal({ scale: 2 });
      expect(define('rating').rules).to.deep.equal({ maxRating: 5 });
      expect(define('money').rules).to.deep.equal({ min: 0 });
      expect(define('money', { rules: { min: -10_000 } }).rules).to.deep.equal({ min: -10_000 });
      expect(define('select').options.map((option) => option.retired)).to.deep.equal([false, false]);
    });

    it('takes keys in lower snake case of at most 64 characters', () => {
      expect(define('text', { key: 'a1_b' }).key).to.equal('a1_b');
      for (const key of ['Skin', '1st', '_x', 'a-b', 'a.b', 'a'.repeat(65), '']) {
        expect(pathsOf(submission('text', { key })), key).to.deep.equal(['key']);
      }
    });

    it('refuses a key that reads like a built-in member field, whatever its case or underscores', () => {
      for (const key of ['card_no', 'phone', 'wechat_id', 'points_balance', 'home_store_id', 'tier_id', 'id', 'created_at', 'custom']) {
        expect(pathsOf(submission('text', { key })), key).to.deep.equal(['key']);
      }
      expect(define('text', { key: 'phone2' }).key).to.equal('phone2');
    });

    it('needs a Chinese label of 1 to 32 characters and takes the English one from it when missing', () => {
      expect(define('text', { label: { zh: '肤质', en: '' } }).label).to.deep.equal({ zh: '肤质', en: '肤质' });
      expect(pathsOf(submission('text', { label: { zh: '  ', en: 'Skin' } }))).to.deep.equal(['label.zh']);
      expect(pathsOf(submission('text', { label: { zh: '长'.repeat(33) } }))).to.deep.equal(['label.zh']);
    });

    it('refuses settings it does not know instead of ignoring them', () => {
      expect(pathsOf({ ...submission('text'), retired: true })).to.deep.equal(['retired']);
      expect(pathsOf(submission('text', { rules: { maxlength: 10 } as never }))).to.deep.equal(['rules.maxlength']);
    });

    it('keeps help text, group and order', () => {
      const definition = define('text', { helpText: { zh: '按护肤习惯选择' }, group: '偏好', order: 3, onRegistration: true });
      expect(definition).to.include({ group: '偏好', order: 3, onRegistration: true });
      expect(definition.helpText).to.deep.equal({ zh: '按护肤习惯选择', en: '按护肤习惯选择' });
    });
  });

  describe('settings the type does not take', () => {
    it('refuses a rule the type does not take, naming the rule and the type', () => {
      const cases: [CustomFieldType, string][] = [
        ['text', 'scale'],
        ['integer', 'pattern'],
        ['textarea', 'pattern'],
        ['select', 'min'],
        ['datetime', 'max'],
        ['switch', 'maxLength'],
        ['decimal', 'maxRating'],
        ['phone', 'minLength'],
      ];
      for (const [type, rule] of cases) {
        const [refusal, ...more] = refusals(submission(type, { rules: { [rule]: rule === 'pattern' ? '\\d+' : 3 } }));
        expect(more, `${type}.${rule}`).to.deep.equal([]);
        expect(refusal.path).to.equal(`rules.${rule}`);
        expect(refusal.message).to.include(rule).and.to.include(FIELD_TYPES[type].label.zh);
      }
    });

    it('requires options on option types and refuses them on every other type', () => {
      expect(pathsOf(submission('select', { options: [] }))).to.deep.equal(['options']);
      expect(pathsOf(submission('checkbox', { options: undefined }))).to.deep.equal(['options']);
      expect(pathsOf(submission('text', { options: SKIN_OPTIONS }))).to.deep.equal(['options']);
      expect(define('text', { options: [] }).options).to.deep.equal([]);
    });

    it('allows unique only on text, integer, phone, email and url', () => {
      const uniqueTypes = CUSTOM_FIELD_TYPES.filter((type) => {
        const result = CustomFieldDefinitionInput.safeParse(submission(type, { unique: true }));
        if (!result.success) expect(toFieldErrors(result.error).map((error) => error.path)).to.deep.equal(['unique']);
        return result.success;
      });
      expect(uniqueTypes).to.deep.equal(['text', 'integer', 'phone', 'email', 'url']);
    });

    it('offers options on select, multiselect, radio and checkbox, lists of them on the last two', () => {
      expect(CUSTOM_FIELD_TYPES.filter(hasOptions)).to.deep.equal(['select', 'multiselect', 'radio', 'checkbox']);
      expect(CUSTOM_FIELD_TYPES.filter((type) => FIELD_TYPES[type].multiple)).to.deep.equal(['multiselect', 'checkbox']);
    });

    it('allows search on every type but textarea', () => {
      const refused = CUSTOM_FIELD_TYPES.filter((type) => !CustomFieldDefinitionInput.safeParse(submission(type, { searchable: true })).success);
      expect(refused).to.deep.equal(['textarea']);
    });

    it('refuses a default on a unique field, since the second member would collide', () => {
      expect(pathsOf(submission('text', { unique: true, defaultValue: 'x' }))).to.deep.equal(['defaultValue']);
    });
  });

  describe('rules and options that contradict themselves', () => {
    it('needs at least one option that is not retired, and distinct option values', () => {
      const retiredOnly = SKIN_OPTIONS.map((option) => ({ ...option, retired: true }));
      expect(pathsOf(submission('radio', { options: retiredOnly }))).to.deep.equal(['options']);
      expect(pathsOf(submission('select', { options: [...SKIN_OPTIONS, SKIN_OPTIONS[0]] }))).to.deep.equal(['options.2.value']);
      const badValue = [{ value: 'Dry Skin', label: { zh: '干性' } }];
      expect(pathsOf(submission('select', { options: badValue }))).to.deep.equal(['options.0.value']);
    });

    it('refuses bounds of the wrong kind for the type', () => {
      expect(pathsOf(submission('date', { rules: { min: '2026-13-01' } }))).to.deep.equal(['rules.min']);
      expect(pathsOf(submission('date', { rules: { max: 20260101 } }))).to.deep.equal(['rules.max']);
      expect(pathsOf(submission('integer', { rules: { min: 1.5 } }))).to.deep.equal(['rules.min']);
      expect(pathsOf(submission('money', { rules: { max: '100' } }))).to.deep.equal(['rules.max']);
      expect(pathsOf(submission('multiselect', { rules: { min: -1 } }))).to.deep.equal(['rules.min']);
      expect(define('decimal', { rules: { min: -0.5, max: 99.99 } }).rules).to.deep.equal({ min: -0.5, max: 99.99, scale: 2 });
    });

    it('refuses a min above the max and a minLength above the maxLength', () => {
      expect(pathsOf(submission('integer', { rules: { min: 10, max: 9 } }))).to.deep.equal(['rules.max']);
      expect(pathsOf(submission('date', { rules: { min: '2026-02-01', max: '2026-01-31' } }))).to.deep.equal(['rules.max']);
      expect(pathsOf(submission('text', { rules: { minLength: 201 } }))).to.deep.equal(['rules.minLength']);
      expect(define('integer', { rules: { min: 5, max: 5 } }).rules).to.deep.equal({ min: 5, max: 5 });
    });

    it('caps text at 255 characters and textarea at 5000', () => {
      expect(define('text', { rules: { maxLength: 255 } }).rules.maxLength).to.equal(255);
      expect(pathsOf(submission('text', { rules: { maxLength: 256 } }))).to.deep.equal(['rules.maxLength']);
      expect(pathsOf(submission('textarea', { rules: { maxLength: 5001 } }))).to.deep.equal(['rules.maxLength']);
    });

    it('keeps scale within 0 to 6 and ratings within 3 to 10 stars', () => {
      expect(define('decimal', { rules: { scale: 0 } }).rules.scale).to.equal(0);
      expect(pathsOf(submission('decimal', { rules: { scale: 7 } }))).to.deep.equal(['rules.scale']);
      expect(pathsOf(submission('rating', { rules: { maxRating: 2 } }))).to.deep.equal(['rules.maxRating']);
      expect(pathsOf(submission('rating', { rules: { maxRating: 11 } }))).to.deep.equal(['rules.maxRating']);
      expect(pathsOf(submission('rating', { rules: { max: 7 } }))).to.deep.equal(['rules']);
      expect(define('rating', { rules: { maxRating: 10, min: 2 } }).rules).to.deep.equal({ maxRating: 10, min: 2 });
    });

    it('refuses a choice count that the active options cannot reach', () => {
      expect(pathsOf(submission('checkbox', { rules: { min: 3 } }))).to.deep.equal(['rules.min']);
      expect(define('checkbox', { rules: { min: 2, max: 2 } }).rules).to.deep.equal({ min: 2, max: 2 });
    });

    it('refuses a pattern that does not compile, is too long, or repeats a repetition or a branch', () => {
      for (const pattern of ['[a-', 'a)(b', 'x'.repeat(201), '(a+)+', '(\\d{2,})*', '((ab)*c)+', '(a|a)*b', '(x(a|b))+']) {
        expect(pathsOf(submission('text', { rules: { pattern } })), pattern).to.deep.equal(['rules.pattern']);
      }
      for (const pattern of ['[A-Z]{2}\\d{4}', '(ab)+', '(vip|svip)-\\d+', 'a|b+', '[(|+]+', '\\p{Script=Han}+', '(\\u{1F600})+']) {
        expect(define('text', { rules: { pattern } }).rules.pattern, pattern).to.equal(pattern);
      }
    });
  });

  describe('default values', () => {
    it('checks the default against the rules of its own field and stores it normalized', () => {
      expect(define('phone', { defaultValue: '+86 138-1234-5678' }).defaultValue).to.equal('13812345678');
      expect(define('integer', { defaultValue: '7' }).defaultValue).to.equal(7);
      expect(define('checkbox', { defaultValue: ['oily', 'dry'] }).defaultValue).to.deep.equal(['dry', 'oily']);
      expect(define('text', { defaultValue: '' }).defaultValue).to.equal(null);
      expect(pathsOf(submission('integer', { defaultValue: 500, rules: { max: 100 } }))).to.deep.equal(['defaultValue']);
      expect(pathsOf(submission('date', { defaultValue: '2026-02-30' }))).to.deep.equal(['defaultValue']);
      expect(pathsOf(submission('select', { defaultValue: 'combination' }))).to.deep.equal(['defaultValue']);
    });

    it('refuses a retired option as the default', () => {
      const options = [SKIN_OPTIONS[0], { ...SKIN_OPTIONS[1], retired: true }];
      expect(pathsOf(submission('select', { options, defaultValue: 'oily' }))).to.deep.equal(['defaultValue']);
    });
  });

  it('answers in the language of the request', () => {
    const [english] = runWithRequestContext({ requestId: 't', locale: 'en' }, () => refusals(submission('integer', { rules: { pattern: 'x' } })));
    const [chinese] = refusals(submission('integer', { rules: { pattern: 'x' } }));
    expect(english.message).to.equal('A field of type "Integer" takes no pattern rule');
    expect(chinese.message).to.equal('「整数」字段不支持 pattern 规则');
  });

  describe('changing a definition', () => {
    const before = define('select', { unique: false });

    it('lets options be added, relabelled, reordered, retired and brought back', () => {
      const after = define('select', {
        options: [
          { value: 'oily', label: { zh: '油性肌', en: 'Oily skin' }, retired: true },
          SKIN_OPTIONS[0],
          { value: 'combination', label: { zh: '混合性' } },
        ],
      });
      expect(checkDefinitionChange(before, after)).to.deep.equal({ problems: [], needsUniqueCheck: false });
      expect(checkDefinitionChange(after, define('select')).problems).to.deep.equal([
        { path: 'options', code: 'option_removed', message: '选项「混合性」已有会员使用过，不能删除，只能停用' },
      ]);
    });

    it('never lets the key or the type change', () => {
      const renamed = checkDefinitionChange(before, define('select', { key: 'skin' }));
      expect(renamed.problems.map((problem) => [problem.path, problem.code])).to.deep.equal([['key', 'key_changed']]);
      const retyped = checkDefinitionChange(before, define('text'));
      expect(retyped.problems.map((problem) => [problem.path, problem.code])).to.deep.equal([['type', 'type_changed']]);
    });

    it('refuses removing an option, even a retired one', () => {
      const retired = define('select', { options: [SKIN_OPTIONS[0], { ...SKIN_OPTIONS[1], retired: true }] });
      const removed = checkDefinitionChange(retired, define('select', { options: [SKIN_OPTIONS[0]] }));
      expect(removed.problems.map((problem) => problem.code)).to.deep.equal(['option_removed']);
    });

    it('flags switching unique on for a check of existing data, and lets switching it off through', () => {
      const plain = define('phone');
      const unique = define('phone', { unique: true });
      expect(checkDefinitionChange(plain, unique)).to.deep.equal({ problems: [], needsUniqueCheck: true });
      expect(checkDefinitionChange(unique, plain)).to.deep.equal({ problems: [], needsUniqueCheck: false });
    });

    it('throws change problems as the usual 422 naming each field', () => {
      const { problems } = checkDefinitionChange(before, define('text', { key: 'skin' }));
      let thrown: unknown;
      try {
        assertNoFieldErrors(problems);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(AppError);
      expect((thrown as AppError).code).to.equal('VALIDATION_FAILED');
      expect((thrown as AppError).details).to.deep.equal({ in: 'body', fields: problems });
      expect(() => assertNoFieldErrors([])).not.to.throw();
    });
  });
});
