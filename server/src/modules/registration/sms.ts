import type { Logger } from '../../platform/logger/index.js';
import { applyMask } from '../access/field-policy/index.js';

/**
 * Sends one text message to a mainland mobile number (11 digits). Real gateways (Aliyun,
 * Tencent Cloud, ...) implement this later; a provider throws when the gateway refuses, and
 * the caller answers REGISTRATION_SMS_UNAVAILABLE.
 */
export interface SmsProvider {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

/**
 * Development only: writes the message to the app log instead of sending it. The number
 * is masked (the developer knows which phone they typed) and the code is in the text,
 * which is the point. Never the default in production: there it would put every code in
 * the log files and no customer would ever receive one.
 */
export class LoggingSmsProvider implements SmsProvider {
  readonly name = 'log';
  constructor(private readonly logger: Logger) {}

  async send(phone: string, text: string): Promise<void> {
    this.logger.info(`[sms] to ${applyMask('phone', phone)}: ${text}`);
  }
}

/** Production without a gateway: self-registration cannot work, and says so. */
export class UnconfiguredSmsProvider implements SmsProvider {
  readonly name = 'none';
  async send(): Promise<void> {
    throw new Error('no SMS gateway is configured; self-registration needs one in production');
  }
}

/** The provider a context gets when the wiring names none. */
export function defaultSmsProvider(env: 'production' | 'development' | 'test', logger: Logger): SmsProvider {
  return env === 'production' ? new UnconfiguredSmsProvider() : new LoggingSmsProvider(logger);
}

export function codeMessage(storeName: string, code: string, ttlMinutes: number): string {
  return `您正在注册${storeName}会员，验证码 ${code}，${ttlMinutes} 分钟内有效。如非本人操作，请忽略本短信。`;
}
