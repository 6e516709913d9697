import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, InstallerError, UsageError } from './errors.js';
import { layoutFor, SOURCE_ROOT, type Layout } from './layout.js';
import { LogFile } from './log-file.js';
import { Redactor } from './redact.js';
import { System } from './system.js';
import { Ui } from './ui.js';

/** What every command gets: where things live, how to talk to the operator, how to act. */
export interface CommandContext {
  layout: Layout;
  ui: Ui;
  system: System;
  sourceRoot: string;
}

export interface GlobalOptions {
  prefix: string;
  nonInteractive?: boolean;
  answers?: string;
  logFile?: string;
  color: boolean;
  json?: boolean;
}

/**
 * One option's value: the flag when given, else --answers, else asked on the terminal, else
 * its default. With no terminal (or --non-interactive) a required value that is still
 * missing is a usage error that names the flag.
 */
export interface ValueSpec {
  flag: string;
  question?: string;
  secret?: boolean;
  required?: boolean;
  defaultValue?: string;
  /** Offered when asking, but not used without a terminal (a required value stays required). */
  suggestion?: string;
}

export class OptionValues {
  constructor(
    readonly values: Record<string, unknown>,
    private readonly ui: Ui,
  ) {}

  get<T>(key: string): T | undefined {
    return this.values[key] as T | undefined;
  }

  async string(key: string, spec: ValueSpec): Promise<string | undefined> {
    const given = this.values[key];
    if (given !== undefined && given !== null && given !== '') return String(given);
    if (spec.question && this.ui.interactive) {
      const answer = await this.ui.ask(spec.question, { secret: spec.secret, defaultValue: spec.defaultValue ?? spec.suggestion });
      if (answer !== '') {
        this.values[key] = answer;
        return answer;
      }
    }
    if (spec.defaultValue !== undefined) return spec.defaultValue;
    if (spec.required) {
      const why = this.ui.interactive ? '' : ' (non-interactive: nothing to ask on)';
      throw new UsageError(`${spec.flag} is required${why}; give it as a flag or as "${key}" in --answers`);
    }
    return undefined;
  }

  async requiredString(key: string, spec: ValueSpec): Promise<string> {
    return (await this.string(key, { ...spec, required: true })) as string;
  }
}

export function createContext(global: Pick<GlobalOptions, 'prefix' | 'nonInteractive' | 'logFile' | 'color' | 'json'>, system?: System): CommandContext {
  const layout = layoutFor(global.prefix);
  const redactor = new Redactor();
  const { log, problems } = LogFile.open(global.logFile ? [global.logFile] : [layout.logFile, path.resolve('huiji-installer.log')], redactor);
  const ui = new Ui({
    color: global.color && !process.env.NO_COLOR,
    json: global.json === true,
    interactive: !global.nonInteractive && process.stdin.isTTY === true,
    log,
    redactor,
  });
  if (!log) ui.warn(`no log file could be written (${problems.join('; ')})`);
  ui.log('start', `huiji-installer ${maskedArgs(process.argv.slice(2)).join(' ')} (pid ${process.pid}, uid ${process.getuid?.() ?? '?'})`);
  return { layout, ui, system: system ?? new System({ log: (kind, text) => ui.log(kind, text) }), sourceRoot: SOURCE_ROOT };
}

/** The command line as the log may show it: the value of any password flag hidden. */
export function maskedArgs(args: string[]): string[] {
  return args.map((arg, i) => {
    if (/^--[\w-]*password[\w-]*=/i.test(arg)) return `${arg.slice(0, arg.indexOf('=') + 1)}***`;
    return i > 0 && /^--[\w-]*password[\w-]*$/i.test(args[i - 1]) ? '***' : arg;
  });
}

/**
 * --answers file.json: the same values as the flags, by option name (camelCase or the flag's
 * kebab-case), for scripted installs. Flags given on the command line win. An unknown name
 * is a usage error: a typo must not silently fall back to a default.
 */
export function mergeAnswers(command: Command, values: Record<string, unknown>, file: string): void {
  let answers: Record<string, unknown>;
  try {
    answers = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--answers ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (!answers || typeof answers !== 'object' || Array.isArray(answers)) throw new UsageError(`--answers ${file} must hold one JSON object`);
  const options = new Map<string, ReturnType<Command['createOption']>>();
  for (let current: Command | null = command; current; current = current.parent) {
    for (const option of current.options) options.set(option.attributeName(), option);
  }
  for (const [rawKey, value] of Object.entries(answers)) {
    const key = rawKey.replace(/^--/, '').replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase());
    const option = options.get(key);
    if (!option || key === 'answers') {
      throw new UsageError(`--answers ${file}: "${rawKey}" is not an option of ${command.name()} (known: ${[...options.keys()].filter((k) => k !== 'answers').join(', ')})`);
    }
    if (command.getOptionValueSourceWithGlobals(key) === 'cli') continue;
    values[key] = option.parseArg && typeof value !== 'boolean' ? option.parseArg(String(value), undefined) : value;
  }
}

let exitCode: number = EXIT.ok;
export const takeExitCode = () => {
  const code = exitCode;
  exitCode = EXIT.ok;
  return code;
};

/**
 * Wraps a command's handler: merges --answers, opens the log, runs it, and turns the outcome
 * into an exit code (the handler's own, an InstallerError's, or 1 with the cause logged).
 */
export function runAction(handler: (ctx: CommandContext, values: OptionValues) => Promise<number | void>) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args[args.length - 1] as Command;
    const values = { ...command.optsWithGlobals() } as Record<string, unknown> & GlobalOptions;
    let ctx: CommandContext | null = null;
    try {
      if (values.answers) mergeAnswers(command, values, values.answers);
      ctx = createContext(values);
      exitCode = (await handler(ctx, new OptionValues(values, ctx.ui))) ?? EXIT.ok;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const shown = ctx ? ctx.ui.redactor.apply(message) : message;
      if (error instanceof InstallerError) {
        process.stderr.write(`huiji-installer ${command.name()}: ${shown}\n`);
        exitCode = error.exitCode;
      } else {
        process.stderr.write(`huiji-installer ${command.name()} failed: ${shown}\n`);
        exitCode = EXIT.unexpected;
      }
      ctx?.ui.log('error', error instanceof Error && error.stack ? error.stack : message);
      if (ctx?.ui.logFile) process.stderr.write(`details: ${ctx.ui.logFile}\n`);
    } finally {
      ctx?.ui.log('end', `exit ${exitCode}`);
      ctx?.ui.close();
    }
  };
}
