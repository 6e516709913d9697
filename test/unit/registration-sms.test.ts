import { expect } from 'chai';
import type { Logger } from '../../server/src/platform/logger/index.js';
import { codeMessage, defaultSmsProvider, LoggingSmsProvider, UnconfiguredSmsProvider } from '../../server/src/modules/registration/sms.js';

describe('registration SMS providers', () => {
  const lines: string[] = [];
  const logger = { info: (line: string) => lines.push(line) } as unknown as Logger;

  it('logs the text with the phone masked in development', async () => {
    await new LoggingSmsProvider(logger).send('13812345678', codeMessage('徐汇店', '123456', 10));
    expect(lines).to.deep.equal(['[sms] to 138****5678: 您正在注册徐汇店会员，验证码 123456，10 分钟内有效。如非本人操作，请忽略本短信。']);
  });

  it('refuses to pretend in production, where nobody would receive the code', async () => {
    expect(defaultSmsProvider('development', logger)).to.be.instanceOf(LoggingSmsProvider);
    const production = defaultSmsProvider('production', logger);
    expect(production).to.be.instanceOf(UnconfiguredSmsProvider);
    let failed = false;
    await production.send('13812345678', 'x').catch(() => (failed = true));
    expect(failed).to.equal(true);
  });
});
