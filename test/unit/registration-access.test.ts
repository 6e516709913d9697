import { expect } from 'chai';
import { actorFromContext } from '../../server/src/modules/audit/service.js';
import { runWithRequestContext } from '../../server/src/platform/http/request-context.js';
import { AppError } from '../../server/src/platform/errors/app-error.js';
import { ERROR_CATALOG } from '../../server/src/platform/errors/catalog.js';
import { createFieldRegistry, registerBuiltinFields } from '../../server/src/modules/access/field-policy/index.js';
import { fieldGuardFor } from '../../server/src/modules/access/guards.js';
import { REGISTRATION_ERRORS } from '../../server/src/modules/registration/errors.js';
import { DEFAULT_LIMITS, limitChecks, limitReached } from '../../server/src/modules/registration/limits.js';
import { registrationPrincipal } from '../../server/src/modules/registration/principal.js';

describe('registration: the principal, the limits and the error codes', () => {
  const registry = registerBuiltinFields(createFieldRegistry());
  registry.defineCustomField('member', { key: 'custom.skin', label: { zh: '肤质', en: 'Skin' } });
  registry.defineCustomField('member', { key: 'custom.vip_no', label: { zh: '贵宾编号', en: 'VIP no.' } });
  const principal = registrationPrincipal({ code: 'poster', storeId: 3 }, { builtin: ['name', 'gender'], custom: ['skin'] });

  it("may supply exactly the channel's fields on create, within the channel's store, and reads back only the card number", () => {
    const guard = fieldGuardFor(registry, principal, 'member');
    expect(principal.storeScope).to.deep.equal([3]);
    expect(() => guard.assertWritable({ phone: '13800000000', homeStoreId: 3, channel: 'poster', name: '王', gender: 'male', custom: { skin: 'dry' } }, { operation: 'create' })).not.to.throw();
    for (const extra of [{ email: 'a@b.cn' }, { notes: 'x' }, { custom: { vip_no: '1' } }, { pointsBalance: 5 }, { cardNo: '8000000001' }]) {
      expect(() => guard.assertWritable({ phone: '13800000000', ...extra }, { operation: 'create' }), JSON.stringify(extra)).to.throw(AppError);
    }
    expect(() => guard.assertWritable({ name: 'x' }, { operation: 'update' })).to.throw(AppError);
    expect(guard.project({ id: 1, cardNo: '80000000018', phone: '13800000000', name: '王', custom: { skin: 'dry' } })).to.deep.equal({ id: 1, cardNo: '80000000018', custom: {} });
  });

  it('is audited as a system actor naming the channel', () => {
    expect(principal).to.include({ kind: 'system', userId: 0, username: 'self-registration via poster' });
    expect(runWithRequestContext({ requestId: 'r', locale: 'zh-CN', principal }, actorFromContext)).to.deep.equal({
      type: 'system',
      id: null,
      name: 'self-registration via poster',
      roles: [],
    });
  });

  it('says when to retry, in the unit that reads naturally', () => {
    const now = new Date('2026-11-24T02:00:00Z');
    const [gap, day, ip, channel] = limitChecks(DEFAULT_LIMITS, true);
    const soon = limitReached(gap, new Date(now.getTime() + 42_500), now, 'Asia/Shanghai');
    expect(soon.messageIn('zh-CN')).to.equal('验证码已发送，请 43 秒后再重新获取');
    expect(soon.details).to.deep.equal({ retryAfterSeconds: 43 });
    const daily = limitReached(day, new Date('2026-11-24T09:35:20Z'), now, 'Asia/Shanghai');
    expect(daily.messageIn('en')).to.equal('This number has had 5 codes in 24 hours; try again after 2026-11-24 17:36');
    expect(limitReached(ip, new Date(now.getTime() + 90_000), now, 'UTC').messageIn('zh-CN')).to.include('请 2 分钟后再试');
    expect(limitReached(channel, new Date(now.getTime() + 1), now, 'UTC').code).to.equal('REGISTRATION_SMS_CHANNEL_LIMIT');
    expect(limitChecks(DEFAULT_LIMITS, false).map((c) => c.scope)).to.deep.equal(['phoneGap', 'phoneDay', 'channel']);
  });

  it('has codes in both languages with the same placeholders, merged into the catalog as they are', () => {
    for (const [code, entry] of Object.entries(REGISTRATION_ERRORS)) {
      expect(entry.zh, code).to.match(/[\u4e00-\u9fff]/);
      expect(entry.en, code).to.match(/^[\x20-\x7e]+$/);
      const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(entry.zh), code).to.deep.equal(holes(entry.en));
      expect(entry.zh, `${code} names no card number`).not.to.include('cardNo');
      expect((ERROR_CATALOG as Record<string, unknown>)[code], `${code} in ERROR_CATALOG`).to.deep.equal(entry);
    }
  });
});
