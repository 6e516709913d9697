import { expect } from 'chai';
import {
  CUSTOM_FIELD_TYPES,
  CustomFieldDefinitionInput,
  FIELD_TYPES,
  fieldSearchValue,
  validateCustomValues,
  type CustomFieldDefinition,
  type CustomFieldDefinitionInput as DefinitionSubmission,
  type CustomFieldType,
  type ValueErrorCode,
} from '../../server/src/modules/members/form/index.js';
import { runWithRequestContext } from '../../server/src/platform/http/request-context.js';

const SKIN_OPTIONS = [
  { value: 'dry', label: { zh: '干性', en: 'Dry' } },
  { value: 'oily', label: { zh: '油性', en: 'Oily' } },
  { value: 'combination', label: { zh: '混合性', en: 'Combination' } },
  { value: 'normal', label: { zh: '中性', en: 'Normal' }, retired: true },
];

function field(key: string, type: CustomFieldType, more: Partial<DefinitionSubmission> = {}): CustomFieldDefinition {
  const options = FIELD_TYPES[type].options ? SKIN_OPTIONS : undefined;
  return CustomFieldDefinitionInput.parse({ key, label: { zh: key, en: key }, type, options, ...more });
}

/** One value through an update (where nothing is defaulted): the stored value, or the error code. */
function check(definition: CustomFieldDefinition, raw: unknown, previous?: unknown): { value?: unknown; code?: string } {
  const { values, errors } = validateCustomValues([definition], { [definition.key]: raw }, {
    operation: 'update',
    previous: { [definition.key]: previous },
  });
  return errors.length > 0 ? { code: errors[0].code } : { value: values[definition.key] };
}

interface TypeCase {
  type: CustomFieldType;
  says: string;
  more?: Partial<DefinitionSubmission>;
  accepts: [unknown, unknown][];
  refuses: [unknown, ValueErrorCode][];
}

const LONG_EMAIL = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.com`;

const TYPE_CASES: TypeCase[] = [
  {
    type: 'text',
    says: 'trims one line of at most 200 characters, counting an emoji as one',
    accepts: [['  张三 ', '张三'], ['😀'.repeat(200), '😀'.repeat(200)]],
    refuses: [[123, 'invalid_type'], ['第一行\n第二行', 'invalid_format'], ['a'.repeat(201), 'too_big']],
  },
  {
    type: 'text',
    says: 'matches its pattern against the whole value and checks the minimum length',
    more: { rules: { minLength: 6, pattern: '[A-Z]{2}\\d{4}' } },
    accepts: [[' AB1234 ', 'AB1234']],
    refuses: [['xAB1234y', 'invalid_format'], ['ab1234', 'invalid_format'], ['AB12', 'too_small']],
  },
  {
    type: 'textarea',
    says: 'keeps line breaks inside trimmed text of at most 2000 characters',
    accepts: [['\n第一行\n第二行 ', '第一行\n第二行']],
    refuses: [[['a'], 'invalid_type'], ['a'.repeat(2001), 'too_big']],
  },
  {
    type: 'integer',
    says: 'takes whole numbers and numeric strings within its bounds',
    more: { rules: { min: -5, max: 100 } },
    accepts: [[12, 12], ['12', 12], [' -5 ', -5], [0, 0]],
    refuses: [[12.5, 'invalid_type'], ['12.0', 'invalid_type'], ['abc', 'invalid_type'], [true, 'invalid_type'], [101, 'too_big'], [-6, 'too_small']],
  },
  {
    type: 'integer',
    says: 'refuses numbers beyond the safe integers',
    accepts: [[Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]],
    refuses: [[2 ** 53, 'too_big'], ['99999999999999999999', 'too_big']],
  },
  {
    type: 'decimal',
    says: 'takes numbers with at most two decimals by default, and returns numbers',
    accepts: [[12.5, 12.5], ['12.50', 12.5], ['-0.01', -0.01], [3, 3]],
    refuses: [[0.1 + 0.2, 'invalid_format'], ['1.234', 'invalid_format'], ['1e3', 'invalid_type'], ['12,5', 'invalid_type'], [Number.NaN, 'invalid_type']],
  },
  {
    type: 'decimal',
    says: 'follows its scale and bounds',
    more: { rules: { scale: 0, min: 1, max: 9 } },
    accepts: [['9', 9]],
    refuses: [[1.5, 'invalid_format'], [0, 'too_small'], [10, 'too_big']],
  },
  {
    type: 'money',
    says: 'takes whole fen, never negative by default',
    accepts: [[1999, 1999], ['0', 0]],
    refuses: [[-1, 'too_small'], [19.99, 'invalid_type'], ['12.50', 'invalid_type']],
  },
  {
    type: 'money',
    says: 'goes below zero when its min allows',
    more: { rules: { min: -10_000, max: 50_000 } },
    accepts: [[-500, -500]],
    refuses: [[-10_001, 'too_small'], [50_001, 'too_big']],
  },
  {
    type: 'date',
    says: 'takes real YYYY-MM-DD dates within its bounds',
    more: { rules: { min: '2000-01-01', max: '2030-12-31' } },
    accepts: [['2024-02-29', '2024-02-29'], [' 2026-03-01 ', '2026-03-01']],
    refuses: [['2026-02-30', 'invalid_format'], ['2023-02-29', 'invalid_format'], ['2026/03/01', 'invalid_format'], [20260301, 'invalid_format'], ['1999-12-31', 'too_small'], ['2031-01-01', 'too_big']],
  },
  {
    type: 'datetime',
    says: 'takes ISO 8601 times with an offset and stores them in UTC',
    accepts: [
      ['2026-03-01T09:30:00+08:00', '2026-03-01T01:30:00.000Z'],
      ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
      ['2026-03-01T09:30:00.5-0500', '2026-03-01T14:30:00.500Z'],
    ],
    refuses: [
      ['2026-03-01 09:30:00', 'invalid_format'],
      ['2026-03-01T09:30:00', 'invalid_format'],
      ['2026-02-30T09:30:00Z', 'invalid_format'],
      ['2026-03-01T24:00:00Z', 'invalid_format'],
      [1_772_300_000_000, 'invalid_format'],
    ],
  },
  {
    type: 'select',
    says: 'takes one active option value, never a label',
    accepts: [['dry', 'dry']],
    refuses: [['Dry', 'invalid_value'], ['干性', 'invalid_value'], [['dry'], 'invalid_type'], ['normal', 'option_retired']],
  },
  {
    type: 'radio',
    says: 'takes one active option value like select',
    accepts: [['oily', 'oily']],
    refuses: [['nope', 'invalid_value'], [1, 'invalid_type'], ['normal', 'option_retired']],
  },
  {
    type: 'multiselect',
    says: 'takes distinct option values within its count bounds, in option-list order',
    more: { rules: { min: 1, max: 2 } },
    accepts: [[['oily', 'dry'], ['dry', 'oily']], [['combination'], ['combination']]],
    refuses: [['dry', 'invalid_type'], [['dry', 'dry'], 'duplicate_value'], [['dry', 'oily', 'combination'], 'too_big'], [['nope'], 'invalid_value'], [['normal'], 'option_retired']],
  },
  {
    type: 'checkbox',
    says: 'takes a list of option values like multiselect',
    more: { rules: { min: 2 } },
    accepts: [[['combination', 'dry', 'oily'], ['dry', 'oily', 'combination']]],
    refuses: [[['dry'], 'too_small'], [[1, 2], 'invalid_type'], [['dry', 'normal'], 'option_retired']],
  },
  {
    type: 'switch',
    says: 'takes true or false and nothing that looks like them',
    accepts: [[true, true], [false, false]],
    refuses: [['true', 'invalid_type'], [1, 'invalid_type'], [0, 'invalid_type']],
  },
  {
    type: 'phone',
    says: 'stores a mainland mobile as 11 digits without +86, spaces or dashes',
    accepts: [['13812345678', '13812345678'], ['+86 138-1234-5678', '13812345678'], ['008613812345678', '13812345678'], ['86 13812345678', '13812345678']],
    refuses: [['12812345678', 'invalid_format'], ['1381234567', 'invalid_format'], ['021-12345678', 'invalid_format'], [13_812_345_678, 'invalid_type']],
  },
  {
    type: 'email',
    says: 'trims and lower-cases the domain of a sane address of at most 254 characters',
    accepts: [[' Zhang.San@QQ.COM ', 'Zhang.San@qq.com']],
    refuses: [['zhangsan', 'invalid_format'], ['a@qq', 'invalid_format'], ['a b@qq.com', 'invalid_format'], ['a..b@qq.com', 'invalid_format'], [LONG_EMAIL, 'invalid_format'], [{}, 'invalid_type']],
  },
  {
    type: 'url',
    says: 'takes http and https addresses in their canonical form',
    accepts: [['https://Shop.Example.com', 'https://shop.example.com/'], ['http://example.com/a?b=1', 'http://example.com/a?b=1']],
    refuses: [
      ['ftp://example.com', 'invalid_format'],
      ['javascript:alert(1)', 'invalid_format'],
      ['example.com', 'invalid_format'],
      ['https://user:secret@example.com', 'invalid_format'],
      [`https://example.com/${'a'.repeat(2048)}`, 'too_big'],
    ],
  },
  {
    type: 'region',
    says: 'takes province, city, district and town codes of the cascader',
    accepts: [['44', '44'], ['4403', '4403'], ['440305', '440305'], ['441900003', '441900003']],
    refuses: [['999999', 'invalid_value'], ['4403051', 'invalid_value'], ['北京', 'invalid_value'], [440305, 'invalid_type']],
  },
  {
    type: 'rating',
    says: 'takes whole stars from 1 to 5 by default',
    accepts: [[5, 5], ['3', 3]],
    refuses: [[0, 'too_small'], [6, 'too_big'], [4.5, 'invalid_type']],
  },
  {
    type: 'rating',
    says: 'follows its maxRating and narrower bounds',
    more: { rules: { maxRating: 10, min: 2 } },
    accepts: [[10, 10]],
    refuses: [[1, 'too_small'], [11, 'too_big']],
  },
  {
    type: 'member_ref',
    says: 'takes a positive id, leaving its existence to the caller',
    accepts: [[42, 42], ['42', 42]],
    refuses: [[0, 'invalid_value'], [-3, 'invalid_value'], ['abc', 'invalid_type'], [1.5, 'invalid_type']],
  },
  {
    type: 'staff_ref',
    says: 'takes a positive id like member_ref',
    accepts: [[7, 7]],
    refuses: [['0', 'invalid_value'], [{ id: 7 }, 'invalid_type']],
  },
];

describe('member form: custom values', () => {
  describe('by type', () => {
    it('covers every type with at least two bad inputs', () => {
      for (const type of CUSTOM_FIELD_TYPES) {
        const refused = TYPE_CASES.filter((c) => c.type === type).flatMap((c) => c.refuses);
        expect(refused.length, type).to.be.at.least(2);
      }
    });

    for (const { type, says, more, accepts, refuses } of TYPE_CASES) {
      it(`${type} ${says}`, () => {
        const definition = field('answer', type, more);
        for (const [raw, stored] of accepts) expect(check(definition, raw), JSON.stringify(raw)).to.deep.equal({ value: stored });
        for (const [raw, code] of refuses) expect(check(definition, raw), String(JSON.stringify(raw)).slice(0, 40)).to.deep.equal({ code });
      });
    }
  });

  describe('retired options', () => {
    const skin = field('skin_type', 'select');
    const concerns = field('concerns', 'multiselect');

    it('keeps a retired option on a member who already has it', () => {
      expect(check(skin, 'normal', 'normal')).to.deep.equal({ value: 'normal' });
    });

    it('refuses a retired option as a change, and on a new member', () => {
      expect(check(skin, 'normal', 'dry')).to.deep.equal({ code: 'option_retired' });
      const created = validateCustomValues([skin], { skin_type: 'normal' }, { operation: 'create', previous: { skin_type: 'normal' } });
      expect(created.errors.map((error) => error.code)).to.deep.equal(['option_retired']);
    });

    it('keeps in a multiselect only the retired options the member already has', () => {
      expect(check(concerns, ['oily', 'normal'], ['normal'])).to.deep.equal({ value: ['oily', 'normal'] });
      expect(check(concerns, ['normal'], ['dry'])).to.deep.equal({ code: 'option_retired' });
    });

    it('names the retired option in its message', () => {
      const { errors } = validateCustomValues([skin], { skin_type: 'normal' }, { operation: 'update' });
      expect(errors[0].message).to.equal('选项「中性」已停用');
    });
  });

  describe('required fields, defaults and operations', () => {
    const level = field('level', 'select', { required: true, defaultValue: 'dry' });
    const nickname = field('alias', 'text', { required: true });
    const note = field('note', 'text');
    const likes = field('likes', 'checkbox');

    it('refuses a create that leaves a required field without a value or default, naming the field', () => {
      for (const alias of [undefined, null, '', '   ']) {
        const { errors } = validateCustomValues([nickname], { alias }, { operation: 'create' });
        expect(errors).to.deep.equal([{ path: 'custom.alias', code: 'required', message: '请填写alias' }]);
      }
      const emptyList = validateCustomValues([field('likes', 'checkbox', { required: true })], { likes: [] }, { operation: 'create' });
      expect(emptyList.errors.map((error) => error.code)).to.deep.equal(['required']);
    });

    it('fills the default on create when the value is missing, null or blank', () => {
      for (const input of [{}, { level: null }, { level: ' ' }]) {
        expect(validateCustomValues([level], input, { operation: 'create' })).to.deep.equal({ values: { level: 'dry' }, errors: [] });
      }
      expect(validateCustomValues([level], { level: 'oily' }, { operation: 'create' }).values).to.deep.equal({ level: 'oily' });
    });

    it('leaves out of a create the optional fields that got nothing', () => {
      const { values } = validateCustomValues([note, likes, level], { likes: ['dry'] }, { operation: 'create' });
      expect(values).to.deep.equal({ likes: ['dry'], level: 'dry' });
    });

    it('checks only the keys an update sends and never fills defaults', () => {
      const result = validateCustomValues([level, nickname, note], { note: ' 常客 ' }, { operation: 'update' });
      expect(result).to.deep.equal({ values: { note: '常客' }, errors: [] });
    });

    it('clears an optional field with null or an empty value on update', () => {
      const { values } = validateCustomValues([note, likes], { note: null, likes: [] }, { operation: 'update' });
      expect(values).to.deep.equal({ note: null, likes: null });
    });

    it('refuses clearing a required field on update', () => {
      const { errors } = validateCustomValues([level, nickname], { level: null, alias: '' }, { operation: 'update' });
      expect(errors.map((error) => [error.path, error.code])).to.deep.equal([
        ['custom.level', 'required'],
        ['custom.alias', 'required'],
      ]);
    });

    it('treats false and 0 as values, not as empty', () => {
      const agreed = field('agreed', 'switch', { required: true });
      const visits = field('visits', 'integer', { required: true });
      const result = validateCustomValues([agreed, visits], { agreed: false, visits: 0 }, { operation: 'create' });
      expect(result).to.deep.equal({ values: { agreed: false, visits: 0 }, errors: [] });
    });

    it('takes no custom values at all on create when nothing is required', () => {
      expect(validateCustomValues([note], undefined, { operation: 'create' })).to.deep.equal({ values: {}, errors: [] });
    });
  });

  describe('keys', () => {
    const note = field('note', 'text');
    const legacy = { ...field('legacy', 'text', { required: true }), retired: true };

    it('refuses keys no field defines, without echoing a key that looks like data', () => {
      const { errors } = validateCustomValues([note], { nope: 1, '13812345678': 'x' }, { operation: 'update' });
      expect(errors.map((error) => [error.path, error.code])).to.deep.equal([
        ['custom.nope', 'unknown_field'],
        ['custom.(invalid key)', 'unknown_field'],
      ]);
      expect(JSON.stringify(errors)).not.to.include('13812345678');
    });

    it('refuses any value for a retired field, even null, and never requires it', () => {
      const { errors } = validateCustomValues([note, legacy], { legacy: null }, { operation: 'update' });
      expect(errors.map((error) => [error.path, error.code])).to.deep.equal([['custom.legacy', 'field_retired']]);
      expect(validateCustomValues([note, legacy], {}, { operation: 'create' }).errors).to.deep.equal([]);
    });

    it('refuses custom values that are not an object', () => {
      for (const input of [[], 'note', 3]) {
        const { errors } = validateCustomValues([note], input, { operation: 'update' });
        expect(errors.map((error) => [error.path, error.code])).to.deep.equal([['custom', 'invalid_type']]);
      }
    });

    it('reports every problem at once', () => {
      const phone = field('mobile', 'phone');
      const result = validateCustomValues([note, phone], { note: 'ok', mobile: '123', extra: true }, { operation: 'update' });
      expect(result.errors.map((error) => error.path)).to.deep.equal(['custom.extra', 'custom.mobile']);
      expect(result.errors[1].message).not.to.include('123');
    });
  });

  it('answers in the language of the request', () => {
    const email = field('contact_email', 'email');
    const english = runWithRequestContext({ requestId: 't', locale: 'en' }, () =>
      validateCustomValues([email], { contact_email: 'nope' }, { operation: 'update' }),
    );
    expect(english.errors[0].message).to.equal('Enter a valid e-mail address');
    expect(validateCustomValues([email], { contact_email: 'nope' }, { operation: 'update' }).errors[0].message).to.equal('请填写有效的邮箱地址');
  });

  describe('search values', () => {
    it('normalizes a search term the way stored values are normalized', () => {
      expect(fieldSearchValue(field('mobile', 'phone', { searchable: true }), '+86 138 1234 5678')).to.deep.equal({ value: '13812345678', errors: [] });
      expect(fieldSearchValue(field('mail', 'email', { searchable: true }), 'A@QQ.com').value).to.equal('A@qq.com');
      expect(fieldSearchValue(field('visits', 'integer', { searchable: true }), '12').value).to.equal(12);
    });

    it('searches multiselect and checkbox by one option value, retired ones included', () => {
      const concerns = field('concerns', 'multiselect', { searchable: true });
      expect(fieldSearchValue(concerns, 'normal').value).to.equal('normal');
      expect(fieldSearchValue(concerns, ['dry']).errors.map((error) => error.code)).to.deep.equal(['invalid_type']);
    });

    it('ignores the rules, which bound what members hold, not what may be looked for', () => {
      const code = field('code', 'text', { searchable: true, rules: { pattern: '[A-Z]{2}\\d{4}' } });
      expect(fieldSearchValue(code, 'AB12').value).to.equal('AB12');
      expect(fieldSearchValue(field('age', 'integer', { searchable: true, rules: { min: 18 } }), 3).value).to.equal(3);
    });

    it('refuses a field that is not searchable or retired, an empty term and a malformed one', () => {
      const codes = (definition: CustomFieldDefinition, raw: unknown) => fieldSearchValue(definition, raw).errors.map((error) => [error.path, error.code]);
      expect(codes(field('note', 'text'), 'x')).to.deep.equal([['custom.note', 'not_searchable']]);
      expect(codes({ ...field('note', 'text', { searchable: true }), retired: true }, 'x')).to.deep.equal([['custom.note', 'field_retired']]);
      expect(codes(field('note', 'text', { searchable: true }), ' ')).to.deep.equal([['custom.note', 'required']]);
      expect(codes(field('mobile', 'phone', { searchable: true }), '12345')).to.deep.equal([['custom.mobile', 'invalid_format']]);
    });
  });
});
