import { expect } from 'chai';
import {
  BUILTIN_FIELD_POLICIES,
  BUILTIN_ROLE_CODES,
  createFieldRegistry,
  registerBuiltinFields,
  resolveFieldPolicies,
  roleFieldPolicySchema,
  type BuiltinRoleCode,
  type FieldLevel,
  type RoleFieldPolicy,
} from '../../server/src/modules/access/field-policy/index.js';

const registry = () => registerBuiltinFields(createFieldRegistry());
const policiesOf = (...roles: BuiltinRoleCode[]) =>
  resolveFieldPolicies(
    registry(),
    roles.map((code) => BUILTIN_FIELD_POLICIES[code]),
  );

describe('field policy: resolving several roles', () => {
  it('takes the most permissive level of the roles a user holds', () => {
    const cashierAndAuditor = policiesOf('cashier', 'auditor');
    // cashier masks the birthday, auditor hides it: masked wins.
    expect(cashierAndAuditor.of('member', 'birthday')).to.include({ level: 'masked', mask: 'birthday' });
    // cashier edits the name, auditor sees it masked: edit wins.
    expect(cashierAndAuditor.of('member', 'name').level).to.equal('edit');
    // both mask the phone.
    expect(cashierAndAuditor.of('member', 'phone')).to.include({ level: 'masked', mask: 'phone' });
    // nothing in either role lets the union edit the phone, but the cashier may supply it on create.
    expect(cashierAndAuditor.of('member', 'phone').creatable).to.equal(true);
  });

  it('does not depend on the order of the roles', () => {
    const a = policiesOf('auditor', 'cashier', 'it_ops');
    const b = policiesOf('it_ops', 'cashier', 'auditor');
    for (const field of registry().fields('member')) {
      expect(a.of('member', field.key), field.key).to.deep.equal(b.of('member', field.key));
    }
  });

  it('gives a user with no roles nothing at all', () => {
    const none = resolveFieldPolicies(registry(), []);
    expect(none.of('member', 'cardNo')).to.deep.equal({ level: 'hidden', mask: null, creatable: false });
  });

  it('uses the mask of the role that granted the winning level', () => {
    const fullMask: RoleFieldPolicy = { fields: { 'member.phone': 'masked' }, masks: { 'member.phone': 'full' } };
    const reader: RoleFieldPolicy = { fields: { 'member.phone': 'hidden', 'member.email': 'masked' } };
    const policies = resolveFieldPolicies(registry(), [fullMask, reader]);
    expect(policies.of('member', 'phone')).to.include({ level: 'masked', mask: 'full' });
    expect(policies.of('member', 'email')).to.include({ level: 'masked', mask: 'email' });
  });

  it('picks the mask revealing less when two roles mask the same field differently', () => {
    const defaultMask: RoleFieldPolicy = { fields: { 'member.phone': 'masked' } };
    const last4: RoleFieldPolicy = { fields: { 'member.phone': 'masked' }, masks: { 'member.phone': 'last4' } };
    expect(resolveFieldPolicies(registry(), [defaultMask, last4]).of('member', 'phone').mask).to.equal('last4');
    expect(resolveFieldPolicies(registry(), [last4, defaultMask]).of('member', 'phone').mask).to.equal('last4');
  });

  it("degrades 'masked' to 'hidden' for a field that has no mask", () => {
    const policies = resolveFieldPolicies(registry(), [{ fields: { 'member.status': 'masked' } }]);
    expect(policies.of('member', 'status')).to.include({ level: 'hidden', mask: null });
  });

  it('applies per-sensitivity defaults to custom fields, and forgets retired ones', () => {
    const fields = registry();
    const skin = fields.defineCustomField('member', { key: 'custom.skin_type', label: { zh: '肤质', en: 'Skin type' } });
    fields.defineCustomField('member', {
      key: 'custom.allergy',
      label: { zh: '过敏史', en: 'Allergies' },
      sensitivity: 'personal',
      mask: 'full',
    });
    const cashier = resolveFieldPolicies(fields, [BUILTIN_FIELD_POLICIES.cashier]);
    expect(cashier.of('member', skin.key).level).to.equal('read');
    expect(cashier.of('member', 'custom.allergy')).to.include({ level: 'masked', mask: 'full' });
    fields.retireCustomField('member', 'custom.allergy');
    expect(cashier.of('member', 'custom.allergy').level).to.equal('hidden');
  });

  it('ships built-in policies that pass the stored-policy schema', () => {
    for (const code of BUILTIN_ROLE_CODES) {
      expect(() => roleFieldPolicySchema.parse(BUILTIN_FIELD_POLICIES[code]), code).not.to.throw();
    }
    expect(roleFieldPolicySchema.safeParse({ fields: { phone: 'edit' } }).success).to.equal(false);
    expect(roleFieldPolicySchema.safeParse({ fields: { 'member.phone': 'write' } }).success).to.equal(false);
  });
});

describe('field policy: built-in roles on member fields', () => {
  const CONTACT = ['phone', 'email', 'idNumber'];
  type Expectation = {
    contact: FieldLevel[];
    birthday: FieldLevel[];
    birthdayMask?: string;
    edits: string[];
    neverEdits: string[];
    /** When set, `edits` is the complete list of editable member fields. */
    exact?: boolean;
  };
  const READ_OR_MORE: FieldLevel[] = ['read', 'edit'];

  const table: Record<BuiltinRoleCode, Expectation> = {
    super_admin: {
      contact: READ_OR_MORE,
      birthday: READ_OR_MORE,
      edits: ['name', 'phone', 'email', 'idNumber', 'birthday', 'status', 'notes', 'tierId'],
      neverEdits: ['pointsBalance', 'storedValueBalance'],
    },
    store_manager: {
      contact: ['masked'],
      birthday: ['read'],
      edits: ['name', 'nickname', 'gender', 'region', 'status', 'notes', 'homeStoreId', 'managerId', 'tierId'],
      neverEdits: ['phone', 'email', 'idNumber', 'birthday', 'pointsBalance', 'storedValueBalance'],
    },
    cashier: {
      contact: ['masked'],
      birthday: ['masked'],
      birthdayMask: 'birthday',
      edits: ['name', 'nickname', 'gender', 'region'],
      exact: true,
      neverEdits: ['phone', 'email', 'idNumber', 'birthday', 'status', 'tierId', 'pointsBalance', 'notes'],
    },
    auditor: {
      contact: ['masked'],
      birthday: ['hidden'],
      edits: [],
      exact: true,
      neverEdits: registry()
        .fields('member')
        .map((field) => field.key),
    },
    it_ops: {
      contact: ['hidden'],
      birthday: ['hidden'],
      edits: [],
      exact: true,
      neverEdits: registry()
        .fields('member')
        .map((field) => field.key),
    },
  };

  for (const code of BUILTIN_ROLE_CODES) {
    const expected = table[code];
    describe(code, () => {
      const policies = policiesOf(code);

      it(`sees contact data as ${expected.contact.join(' or ')}`, () => {
        for (const field of CONTACT) expect(expected.contact, field).to.include(policies.of('member', field).level);
      });

      it(`sees the birthday as ${expected.birthday.join(' or ')}`, () => {
        const birthday = policies.of('member', 'birthday');
        expect(expected.birthday).to.include(birthday.level);
        if (expected.birthdayMask) expect(birthday.mask).to.equal(expected.birthdayMask);
      });

      it('edits exactly the fields the table allows', () => {
        for (const field of expected.edits) expect(policies.of('member', field).level, field).to.equal('edit');
        for (const field of expected.neverEdits) expect(policies.of('member', field).level, field).not.to.equal('edit');
        if (expected.exact) {
          const editable = registry()
            .fields('member')
            .filter((field) => policies.of('member', field.key).level === 'edit')
            .map((field) => field.key);
          expect(editable).to.have.members(expected.edits);
        }
      });
    });
  }

  it('lets the cashier exact-match a masked phone by design of the registry', () => {
    expect(registry().field('member', 'phone')?.exactMatchWhenMasked).to.equal('phone');
  });

  it('hides every member, order and ledger field from it_ops', () => {
    const fields = registry();
    const policies = policiesOf('it_ops');
    for (const entity of ['member', 'order', 'ledger']) {
      for (const field of fields.fields(entity)) {
        expect(policies.of(entity, field.key).level, `${entity}.${field.key}`).to.equal('hidden');
      }
    }
  });

  it('lets nobody edit ledger rows', () => {
    const fields = registry();
    const everyone = policiesOf(...BUILTIN_ROLE_CODES);
    for (const field of fields.fields('ledger')) expect(everyone.of('ledger', field.key).level, field.key).to.equal('read');
  });
});
