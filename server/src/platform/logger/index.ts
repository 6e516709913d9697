import fs from 'node:fs';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import { currentRequestContext } from '../http/request-context.js';
import { redact, redactText } from './redact.js';

export type Logger = winston.Logger;

export interface LoggerOptions {
  level: string;
  logDir: string;
  retentionDays: number;
  env: 'production' | 'development' | 'test';
  /** Tests keep the terminal for the test runner's own output. */
  console?: boolean;
}

const withContext = winston.format((info) => {
  const context = currentRequestContext();
  if (context && info.requestId === undefined) info.requestId = context.requestId;
  return info;
});

const redacted = winston.format((info) => {
  const safe = redact({ ...info }) as Record<string, unknown>;
  for (const [key, value] of Object.entries(safe)) info[key] = value;
  if (typeof info.message === 'string') info.message = redactText(info.message);
  return info;
});

export function createLogger(options: LoggerOptions): Logger {
  fs.mkdirSync(options.logDir, { recursive: true });
  const transports: winston.transport[] = [
    new DailyRotateFile({
      dirname: options.logDir,
      filename: 'huiji-%DATE%.log',
      datePattern: 'YYYY-MM-DD',
      maxFiles: `${options.retentionDays}d`,
      format: winston.format.json(),
    }),
  ];
  if (options.console ?? options.env !== 'test') {
    transports.push(
      new winston.transports.Console({
        format:
          options.env === 'development'
            ? winston.format.combine(
                winston.format.colorize(),
                winston.format.printf(({ level, message, timestamp, requestId, ...rest }) => {
                  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
                  return `${String(timestamp)} ${level}${requestId ? ` [${String(requestId)}]` : ''} ${String(message)}${extra}`;
                }),
              )
            : winston.format.json(),
      }),
    );
  }
  return winston.createLogger({
    level: options.level,
    format: winston.format.combine(withContext(), redacted(), winston.format.timestamp(), winston.format.errors({ stack: true })),
    transports,
  });
}
