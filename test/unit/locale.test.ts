import { expect } from 'chai';
import { formatMessage } from '../../server/src/platform/errors/app-error.js';
import { ERROR_CATALOG, type ErrorCode } from '../../server/src/platform/errors/catalog.js';
import { pickLocale } from '../../server/src/platform/i18n/locale.js';

describe('languages', () => {
  it('defaults to Chinese and honours an English preference', () => {
    expect(pickLocale(undefined)).to.equal('zh-CN');
    expect(pickLocale('en-US,en;q=0.9')).to.equal('en');
    expect(pickLocale('zh-TW,en;q=0.5')).to.equal('zh-CN');
    expect(pickLocale('fr-FR,en;q=0.8,zh;q=0.9')).to.equal('zh-CN');
    expect(pickLocale('fr-FR')).to.equal('zh-CN');
    expect(pickLocale('en;q=0, zh;q=0.1')).to.equal('zh-CN');
  });

  it('has a Chinese and an English message for every error code, with the same placeholders', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(entry.zh, code).to.match(/[\u4e00-\u9fff]/);
      expect(entry.en, code).to.match(/^[\x20-\x7e]+$/);
      const holes = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(holes(entry.zh), code).to.deep.equal(holes(entry.en));
      expect(entry.status, code).to.be.within(400, 599);
      expect(code).to.match(/^[A-Z][A-Z_]+$/);
    }
  });

  it('fills placeholders', () => {
    expect(formatMessage('FORBIDDEN' as ErrorCode, 'en', { permission: 'a:b:c' })).to.equal('Permission denied: a:b:c is required');
  });
});
