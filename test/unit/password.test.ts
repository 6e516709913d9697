import { expect } from 'chai';
import { brokenRules, characterClasses, generatePassword, hashPassword, verifyPassword } from '../../server/src/modules/auth/password.js';

const policy = { minLength: 10, maxLength: 64, requiredClasses: 3, notUsername: true as const, historyCount: 5 };

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('Counter#2026a');
    expect(hash).to.match(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'Counter#2026a')).to.equal(true);
    expect(await verifyPassword(hash, 'counter#2026a')).to.equal(false);
    expect(await verifyPassword('not a hash', 'x')).to.equal(false);
  });

  it('counts character classes and lists broken rules', () => {
    expect(characterClasses('abc')).to.equal(1);
    expect(characterClasses('aB3#')).to.equal(4);
    expect(brokenRules('Short#1', 'zhang', policy)).to.deep.equal(['length']);
    expect(brokenRules('longbutlowercase', 'zhang', policy)).to.deep.equal(['classes']);
    expect(brokenRules('Zhang#20261', 'zhang', policy)).to.deep.equal(['username']);
    expect(brokenRules('店长密码Abc12345', 'zhang', policy)).to.deep.equal([]);
    expect(brokenRules('x'.repeat(65), 'zhang', policy)).to.include('length');
  });

  it('generates passwords that meet the policy', () => {
    for (let i = 0; i < 50; i++) {
      const password = generatePassword();
      expect(password).to.have.length(16);
      expect(brokenRules(password, 'admin', policy)).to.deep.equal([]);
    }
  });
});
