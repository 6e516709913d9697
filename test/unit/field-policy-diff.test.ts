import crypto from 'node:crypto';
import { expect } from 'chai';
import {
  BUILTIN_FIELD_POLICIES,
  createFieldGuard,
  createFieldRegistry,
  registerBuiltinFields,
  resolveFieldPolicies,
  type AuditDiff,
  type BuiltinRoleCode,
} from '../../server/src/modules/access/field-policy/index.js';

const KEY = crypto.randomBytes(32);
const registry = registerBuiltinFields(createFieldRegistry());
registry.defineCustomField('member', { key: 'custom.skin_type', label: { zh: '肤质', en: 'Skin type' } });
const guardFor = (...roles: BuiltinRoleCode[]) =>
  createFieldGuard(
    registry,
    resolveFieldPolicies(
      registry,
      roles.map((code) => BUILTIN_FIELD_POLICIES[code]),
    ),
    'member',
  );

const before = {
  id: 7,
  name: '张三',
  phone: '13812345678',
  idNumber: '110101199001011234',
  birthday: '1990-05-17',
  status: 'active',
  pointsBalance: 100,
  passwordHash: 'old',
  custom: { skin_type: 'dry' },
};

const entry = (diff: AuditDiff, field: string) => diff.find((item) => item.field === field);

describe('field policy: audit diffs', () => {
  it('records only changed, registered fields, in registry order', () => {
    const after = { ...before, status: 'frozen', passwordHash: 'new', custom: { skin_type: 'oily' } };
    const diff = guardFor('super_admin').diff(before, after, KEY);
    expect(diff).to.deep.equal([
      { field: 'status', before: 'active', after: 'frozen' },
      { field: 'custom.skin_type', before: 'dry', after: 'oily' },
    ]);
  });

  it('masks phone and ID number whoever made the change, with differing hashes', () => {
    const after = { ...before, phone: '13900001111', idNumber: '11010119900101567X' };
    const diff = guardFor('super_admin').diff(before, after, KEY);
    const phone = entry(diff, 'phone')!;
    expect(phone).to.include({ before: '138****5678', after: '139****1111', mask: 'phone' });
    expect(phone.changedHash!.before).to.not.equal(phone.changedHash!.after);
    const id = entry(diff, 'idNumber')!;
    expect(id).to.include({ before: '110101********1234', after: '110101********567X', mask: 'idNumber' });
    const stored = JSON.stringify(diff);
    for (const secret of ['13812345678', '13900001111', '110101199001011234', '11010119900101567X']) {
      expect(stored).not.to.include(secret);
    }
  });

  it('gives equal hashes for equal values, so a change back shows', () => {
    const guard = guardFor('super_admin');
    const first = entry(guard.diff(before, { ...before, phone: '13900001111' }, KEY), 'phone')!;
    const back = entry(guard.diff({ ...before, phone: '13900001111' }, before, KEY), 'phone')!;
    expect(back.changedHash!.before).to.equal(first.changedHash!.after);
    expect(back.changedHash!.after).to.equal(first.changedHash!.before);
  });

  it('tells apart values whose masks look the same', () => {
    const diff = guardFor('super_admin').diff(before, { ...before, phone: '13899995678' }, KEY);
    const phone = entry(diff, 'phone')!;
    expect(phone.before).to.equal(phone.after);
    expect(phone.changedHash!.before).to.not.equal(phone.changedHash!.after);
  });

  it('depends on the key, so hashes cannot be recomputed without it', () => {
    const after = { ...before, phone: '13900001111' };
    const a = entry(guardFor('super_admin').diff(before, after, KEY), 'phone')!;
    const b = entry(guardFor('super_admin').diff(before, after, crypto.randomBytes(32)), 'phone')!;
    expect(a.changedHash!.after).to.not.equal(b.changedHash!.after);
  });

  it('stores the same diff whichever role made the change', () => {
    const after = { ...before, phone: '13900001111', name: '张四' };
    const byAdmin = guardFor('super_admin').diff(before, after, KEY);
    const byCashier = guardFor('cashier').diff(before, after, KEY);
    expect(byCashier).to.deep.equal(byAdmin);
    expect(entry(byAdmin, 'name')).to.include({ before: '张**', after: '张**', mask: 'name' });
  });

  it('records creation and deletion against null', () => {
    const created = guardFor('super_admin').diff(null, before, KEY);
    expect(entry(created, 'phone')).to.include({ before: null, after: '138****5678' });
    expect(entry(created, 'status')).to.deep.equal({ field: 'status', before: null, after: 'active' });
    const deleted = guardFor('super_admin').diff(before, null, KEY);
    expect(entry(deleted, 'birthday')).to.include({ before: '05-17', after: null });
  });

  it('refuses a short key', () => {
    expect(() => guardFor('super_admin').diff(before, { ...before, status: 'x' }, Buffer.alloc(4))).to.throw(/16 bytes/);
  });

  describe('reading a stored diff', () => {
    const stored = guardFor('super_admin').diff(
      before,
      { ...before, phone: '13900001111', birthday: '1991-06-18', status: 'frozen', pointsBalance: 200 },
      KEY,
    );

    it('drops fields the reader may not see', () => {
      const forAuditor = guardFor('auditor').projectDiff(stored);
      expect(forAuditor.map((item) => item.field)).to.deep.equal(['phone', 'status', 'pointsBalance']);
      expect(guardFor('it_ops').projectDiff(stored)).to.deep.equal([]);
    });

    it('keeps the audit masking even for readers who may read the field', () => {
      const forAdmin = guardFor('super_admin').projectDiff(stored);
      expect(entry(forAdmin, 'phone')).to.include({ before: '138****5678', after: '139****1111' });
      expect(entry(forAdmin, 'pointsBalance')).to.include({ before: 100, after: 200 });
    });

    it("applies the reader's own mask when it differs", () => {
      const masking = resolveFieldPolicies(registry, [
        {
          defaults: { member: 'read' },
          fields: { 'member.status': 'hidden', 'member.phone': 'masked' },
          masks: { 'member.phone': 'last4' },
        },
      ]);
      const view = createFieldGuard(registry, masking, 'member').projectDiff(stored);
      expect(entry(view, 'phone')).to.include({ before: '****5678', after: '****1111', mask: 'last4' });
      expect(entry(view, 'status')).to.equal(undefined);
    });

    it('drops fields retired since the change', () => {
      const fields = registerBuiltinFields(createFieldRegistry());
      fields.defineCustomField('member', { key: 'custom.skin_type', label: { zh: '肤质', en: 'Skin type' } });
      const guard = createFieldGuard(fields, resolveFieldPolicies(fields, [BUILTIN_FIELD_POLICIES.super_admin]), 'member');
      const diff = guard.diff(before, { ...before, custom: { skin_type: 'oily' } }, KEY);
      expect(diff).to.have.length(1);
      fields.retireCustomField('member', 'custom.skin_type');
      expect(guard.projectDiff(diff)).to.deep.equal([]);
    });
  });
});
