import { expect } from 'chai';
import { REDACTED, redact, redactText } from '../../server/src/platform/logger/redact.js';

describe('log redaction', () => {
  it('hides credentials at any depth', () => {
    const out = redact({
      headers: { Authorization: 'Bearer abc', cookie: 'sid=1', 'x-api-key': 'k' },
      body: { username: 'admin', password: 'secret', nested: { newPassword: 'n', token: 't' } },
    });
    expect(out).to.deep.equal({
      headers: { Authorization: REDACTED, cookie: REDACTED, 'x-api-key': REDACTED },
      body: { username: 'admin', password: REDACTED, nested: { newPassword: REDACTED, token: REDACTED } },
    });
  });

  it('hides member phone, e-mail and ID number fields', () => {
    expect(redact({ phone: '13812345678', idNumber: '110101199001011234', email: 'a@b.cn', name: '张三' })).to.deep.equal({
      phone: REDACTED,
      idNumber: REDACTED,
      email: REDACTED,
      name: '张三',
    });
  });

  it('masks phone and ID numbers and bearer tokens inside free text', () => {
    expect(redactText('call 13812345678 now')).to.equal('call 138****5678 now');
    expect(redactText('id 11010119900101123X ok')).to.equal('id 110101********123X ok');
    expect(redactText('Authorization: Bearer abc.def-ghi')).to.equal(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('order 2026112300001234')).to.equal('order 2026112300001234');
  });
});
