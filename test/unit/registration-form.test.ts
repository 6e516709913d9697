import { expect } from 'chai';
import { formFields, regionChoices, registrationCustomFields } from '../../server/src/modules/registration/public-form.js';
import type { CustomFieldDefinition } from '../../server/src/modules/members/form/index.js';

const field = (key: string, more: Partial<CustomFieldDefinition> = {}): CustomFieldDefinition => ({
  key,
  label: { zh: key, en: key },
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
  ...more,
});

describe('registration form: which fields a public page shows', () => {
  it('offers the registration fields and required fields without a default, never retired or reference fields', () => {
    const shown = registrationCustomFields([
      field('on_form', { onRegistration: true }),
      field('staff_only'),
      field('must_fill', { required: true }),
      field('has_default', { required: true, defaultValue: 'x' }),
      field('retired', { onRegistration: true, retired: true }),
      field('referrer', { type: 'member_ref', onRegistration: true }),
      field('advisor', { type: 'staff_ref', required: true }),
    ]);
    expect(shown.map((d) => d.key)).to.deep.equal(['on_form', 'must_fill']);
  });

  it('describes built-in fields first, then custom ones with their live options and rules', () => {
    const fields = formFields(
      ['gender', 'birthday'],
      [
        field('skin', {
          type: 'select',
          required: true,
          rules: {},
          options: [
            { value: 'dry', label: { zh: '干性', en: 'Dry' }, retired: false },
            { value: 'old', label: { zh: '旧', en: 'Old' }, retired: true },
          ],
        }),
      ],
    );
    expect(fields.map((f) => [f.key, f.type, f.required])).to.deep.equal([
      ['gender', 'gender', false],
      ['birthday', 'date', false],
      ['custom.skin', 'select', true],
    ]);
    expect(fields[0].label).to.deep.equal({ zh: '性别', en: 'Gender' });
    expect(fields[0].options.map((o) => o.value)).to.deep.equal(['female', 'male', 'other']);
    expect(fields[2].options).to.deep.equal([{ value: 'dry', label: { zh: '干性', en: 'Dry' } }]);
  });

  it('sends provinces and cities only when a region field is on the form', () => {
    expect(regionChoices(formFields(['name'], []))).to.deep.equal([]);
    const regions = regionChoices(formFields(['region'], []));
    expect(regions).to.have.length.above(30);
    const beijing = regions.find((r) => r.value === '11')!;
    expect(beijing.children, 'a municipality has no city to choose').to.deep.equal([]);
    expect(regions.find((r) => r.value === '44')!.children.find((c) => c.value === '4403')!.label).to.equal('深圳市');
  });
});
