import { expect } from 'chai';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import {
  BUILTIN_FIELD_POLICIES,
  createFieldGuard,
  createFieldRegistry,
  registerBuiltinFields,
  resolveFieldPolicies,
  type BuiltinRoleCode,
  type FieldFilter,
} from '../../server/src/modules/access/field-policy/index.js';

const PHONE = '13812345678';

function guardFor(roles: BuiltinRoleCode[], entity = 'member') {
  const registry = registerBuiltinFields(createFieldRegistry());
  registry.defineCustomField('member', { key: 'custom.skin_type', label: { zh: '肤质', en: 'Skin type' }, filterable: true });
  registry.defineCustomField('member', {
    key: 'custom.allergy',
    label: { zh: '过敏史', en: 'Allergies' },
    sensitivity: 'personal',
  });
  const policies = resolveFieldPolicies(
    registry,
    roles.map((code) => BUILTIN_FIELD_POLICIES[code]),
  );
  return createFieldGuard(registry, policies, entity);
}

const member = {
  id: 7,
  cardNo: 'VIP00012345',
  name: '张三',
  birthday: '1990-05-17',
  phone: PHONE,
  email: 'zhangsan@qq.com',
  idNumber: '110101199001011234',
  status: 'active',
  pointsBalance: 1200,
  passwordHash: 'never-shown',
  custom: { skin_type: 'dry', allergy: 'penicillin', retired_field: 'gone' },
};

/** Runs fn, expecting an AppError, and returns it. */
function refusal(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  expect.fail('expected a refusal');
}

function expectNoValue(error: AppError, value: string) {
  expect(error.message).not.to.include(value);
  expect(error.messageIn('zh-CN')).not.to.include(value);
  expect(JSON.stringify(error.details)).not.to.include(value);
  expect(JSON.stringify(error.params)).not.to.include(value);
}

describe('field policy: the guard', () => {
  describe('projection', () => {
    it('masks contact data and month-days the birthday for a cashier', () => {
      const shown = guardFor(['cashier']).project(member);
      expect(shown).to.deep.equal({
        id: 7,
        cardNo: 'VIP00012345',
        name: '张三',
        birthday: '05-17',
        phone: '138****5678',
        email: 'z***@qq.com',
        idNumber: '110101********1234',
        status: 'active',
        pointsBalance: 1200,
        // allergy is personal and has no mask, so the cashier's default 'masked' hides it.
        custom: { skin_type: 'dry' },
      });
    });

    it('drops keys nobody registered, at the top level and inside custom', () => {
      const shown = guardFor(['super_admin']).project(member);
      expect(shown).not.to.have.property('passwordHash');
      expect(shown.custom).to.deep.equal({ skin_type: 'dry', allergy: 'penicillin' });
      expect(shown.phone).to.equal(PHONE);
    });

    it('removes hidden fields rather than nulling them', () => {
      const shown = guardFor(['auditor']).project(member);
      expect(shown).not.to.have.property('birthday');
      expect(shown.name).to.equal('张**');
      expect(shown.phone).to.equal('138****5678');
    });

    it('leaves it_ops nothing but the id', () => {
      expect(guardFor(['it_ops']).project(member)).to.deep.equal({ id: 7, custom: {} });
    });

    it('unwraps model instances and never changes its input', () => {
      const instance = { toJSON: () => ({ ...member }) };
      expect(guardFor(['cashier']).project(instance).phone).to.equal('138****5678');
      expect(member.phone).to.equal(PHONE);
    });

    it('exports rows exactly as it projects them', () => {
      const guard = guardFor(['store_manager']);
      expect(guard.projectMany([member, member])).to.deep.equal([guard.exportRow(member), guard.exportRow(member)]);
      expect(guard.exportRow(member).phone).to.equal('138****5678');
    });

    it('lists the visible fields in registry order for column headers', () => {
      const columns = guardFor(['auditor']).visibleFields();
      expect(columns.map((column) => column.key)).not.to.include('birthday');
      expect(columns.find((column) => column.key === 'phone')).to.include({ level: 'masked', mask: 'phone' });
      expect(columns[0].key).to.equal('cardNo');
    });
  });

  describe('writes', () => {
    it('refuses a payload naming any field the role may not edit, naming every one', () => {
      const error = refusal(() =>
        guardFor(['store_manager']).assertWritable({
          name: '张四',
          phone: '13900001111',
          birthday: '1990-01-01',
          pointsBalance: 99999,
          custom: { skin_type: 'oily' },
        }),
      );
      expect(error.code).to.equal('FIELD_NOT_EDITABLE');
      expect(error.status).to.equal(403);
      expect(error.details).to.deep.equal({ fields: ['phone', 'birthday', 'pointsBalance'] });
      expect(error.message).to.include('phone').and.to.include('birthday').and.to.include('pointsBalance');
      expectNoValue(error, '13900001111');
    });

    it('accepts a payload of editable fields only', () => {
      expect(() => guardFor(['store_manager']).assertWritable({ name: '张四', custom: { skin_type: 'oily' } })).not.to.throw();
    });

    it('refuses unknown keys and the id too, instead of dropping them', () => {
      const payload = { id: 1, passwordHash: 'x', custom: { nope: 1 } };
      const error = refusal(() => guardFor(['super_admin']).assertWritable(payload));
      expect(error.details).to.deep.equal({ fields: ['id', 'passwordHash', 'custom.nope'] });
    });

    it('never echoes a key that does not look like a field key', () => {
      const error = refusal(() => guardFor(['cashier']).assertWritable({ [PHONE]: true }));
      expectNoValue(error, PHONE);
    });

    it('lets a cashier type registration fields on create but not change them later', () => {
      const guard = guardFor(['cashier']);
      const registration = { name: '李四', phone: PHONE, birthday: '1992-02-29', cardNo: 'VIP1' };
      expect(() => guard.assertWritable(registration, { operation: 'create' })).not.to.throw();
      const error = refusal(() => guard.assertWritable(registration));
      expect(error.details).to.deep.equal({ fields: ['phone', 'birthday', 'cardNo'] });
      expectNoValue(error, PHONE);
    });

    it('lets an auditor write nothing', () => {
      const error = refusal(() => guardFor(['auditor']).assertWritable({ nickname: 'x' }, { operation: 'create' }));
      expect(error.details).to.deep.equal({ fields: ['nickname'] });
    });

    it('ignores keys whose value is undefined', () => {
      expect(() => guardFor(['cashier']).assertWritable({ name: '王五', phone: undefined })).not.to.throw();
    });
  });

  describe('filters, sorts and searches', () => {
    const filter = (field: string, op: string, value?: unknown): FieldFilter[] => [{ field, op, value }];

    it('refuses a filter on a hidden field with 403, even a null check', () => {
      const guard = guardFor(['auditor']);
      for (const op of ['eq', 'null', 'lt']) {
        const error = refusal(() => guard.assertFilterable(filter('birthday', op, '1990-05-17')));
        expect(error.code).to.equal('FIELD_FILTER_FORBIDDEN');
        expect(error.status).to.equal(403);
        expect(error.details).to.deep.equal({ action: 'filter', fields: ['birthday'] });
        expectNoValue(error, '1990-05-17');
      }
    });

    it('lets a masked phone be matched by the exact full number with eq only', () => {
      const guard = guardFor(['cashier']);
      expect(() => guard.assertFilterable(filter('phone', 'eq', PHONE))).not.to.throw();
      expect(() => guard.assertFilterable(filter('phone', 'eq', '+86 138 1234 5678'))).not.to.throw();
    });

    it('refuses partial, prefix, like, range and list matches on a masked phone', () => {
      const guard = guardFor(['cashier']);
      const attempts: [string, unknown][] = [
        ['eq', '1381234'],
        ['eq', '5678'],
        ['eq', '138****5678'],
        ['eq', ['13812345678']],
        ['prefix', '138'],
        ['like', '%5678'],
        ['contains', '1234'],
        ['ne', PHONE],
        ['gt', PHONE],
        ['in', [PHONE, '13900001111']],
      ];
      for (const [op, value] of attempts) {
        const error = refusal(() => guard.assertFilterable(filter('phone', op, value)));
        expect(error.code, `${op} ${String(value)}`).to.equal('FIELD_FILTER_FORBIDDEN');
        expectNoValue(error, PHONE);
        expectNoValue(error, '1381234');
      }
    });

    it('allows a null check on a masked field, since the masked view shows absence anyway', () => {
      expect(() => guardFor(['cashier']).assertFilterable(filter('email', 'null'))).not.to.throw();
    });

    it('does not let a masked field without exact matching be matched even by a full value', () => {
      const error = refusal(() => guardFor(['cashier']).assertFilterable(filter('idNumber', 'eq', '110101199001011234')));
      expect(error.code).to.equal('FIELD_FILTER_FORBIDDEN');
      expectNoValue(error, '110101199001011234');
    });

    it('allows any supported filter on a readable field', () => {
      expect(() => guardFor(['super_admin']).assertFilterable(filter('phone', 'prefix', '138'))).not.to.throw();
      expect(() => guardFor(['cashier']).assertFilterable(filter('custom.skin_type', 'eq', 'dry'))).not.to.throw();
    });

    it('answers 400 for a field or operator nobody may use, naming every field', () => {
      const error = refusal(() =>
        guardFor(['super_admin']).assertFilterable([
          { field: 'passwordHash', op: 'eq', value: 'x' },
          { field: 'payments', op: 'eq', value: 1 },
          { field: 'status', op: 'regex', value: '.*' },
        ]),
      );
      expect(error.code).to.equal('FIELD_NOT_FILTERABLE');
      expect(error.status).to.equal(400);
      expect(error.details).to.deep.equal({ action: 'filter', fields: ['passwordHash', 'payments', 'status'] });
    });

    it('reports permission refusals before design limits', () => {
      const error = refusal(() =>
        guardFor(['auditor']).assertFilterable([
          { field: 'nope', op: 'eq', value: 1 },
          { field: 'birthday', op: 'eq', value: '1990-05-17' },
        ]),
      );
      expect(error.code).to.equal('FIELD_FILTER_FORBIDDEN');
      expect(error.details).to.deep.equal({ action: 'filter', fields: ['birthday'] });
    });

    it('refuses sorting on masked and hidden fields', () => {
      const cashier = guardFor(['cashier']);
      for (const field of ['phone', 'birthday']) {
        const error = refusal(() => cashier.assertSortable([field]));
        expect(error.code, field).to.equal('FIELD_FILTER_FORBIDDEN');
        expect(error.details).to.deep.equal({ action: 'sort', fields: [field] });
      }
      expect(() => cashier.assertSortable(['name', 'registeredAt'])).not.to.throw();
      expect(refusal(() => guardFor(['auditor']).assertSortable(['birthday'])).code).to.equal('FIELD_FILTER_FORBIDDEN');
      expect(refusal(() => cashier.assertSortable(['status'])).code).to.equal('FIELD_NOT_FILTERABLE');
    });

    it('refuses searching masked and hidden fields', () => {
      const error = refusal(() => guardFor(['cashier']).assertSearchable(['name', 'phone', 'email']));
      expect(error.code).to.equal('FIELD_FILTER_FORBIDDEN');
      expect(error.details).to.deep.equal({ action: 'search', fields: ['phone', 'email'] });
      expect(() => guardFor(['store_manager']).assertSearchable(['name', 'cardNo', 'nickname'])).not.to.throw();
    });
  });

  describe('other entities', () => {
    it('shows a cashier orders and ledger rows read-only, and it_ops nothing', () => {
      const order = { id: 1, orderNo: 'O1', amount: 9900, payments: [{ method: 'cash', amount: 9900 }], internalNote: 'x' };
      expect(guardFor(['cashier'], 'order').project(order)).to.deep.equal({
        id: 1,
        orderNo: 'O1',
        amount: 9900,
        payments: [{ method: 'cash', amount: 9900 }],
      });
      expect(guardFor(['it_ops'], 'order').project(order)).to.deep.equal({ id: 1 });
      expect(refusal(() => guardFor(['store_manager'], 'ledger').assertWritable({ amount: 1 })).code).to.equal(
        'FIELD_NOT_EDITABLE',
      );
    });
  });
});
