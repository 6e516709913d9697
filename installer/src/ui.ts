import readline from 'node:readline';
import { Writable } from 'node:stream';
import type { LogFile } from './log-file.js';
import { Redactor } from './redact.js';

export interface UiOptions {
  color: boolean;
  /** --json: the report owns stdout, so progress goes to stderr. */
  json: boolean;
  /** Prompts are allowed: stdin is a terminal and --non-interactive was not given. */
  interactive: boolean;
  log?: LogFile | null;
  redactor?: Redactor;
  stdout?: OutStream;
  stderr?: OutStream;
  stdin?: NodeJS.ReadStream;
}

/** A terminal or any writable (tests capture the output). */
export type OutStream = NodeJS.WritableStream & { isTTY?: boolean };

/** What a running step can say about itself before it ends. */
export interface StepHandle {
  /** Shown after the step's name when it ends: "✔ database huiji (created)". */
  detail(text: string): void;
  /** The step had nothing to do: "– name (reason)". */
  skip(reason: string): void;
}

const PAINT = { green: 32, red: 31, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
type Paint = keyof typeof PAINT;

/**
 * Everything the operator sees and everything the log file keeps. Each step prints one
 * line ("✔ / ✖ / – name"), is written to the log, and an error inside it names the step.
 */
export class Ui {
  readonly redactor: Redactor;
  readonly interactive: boolean;
  readonly json: boolean;
  private readonly out: OutStream;
  private readonly color: boolean;
  private readonly stdin: NodeJS.ReadStream;

  constructor(private readonly options: UiOptions) {
    this.redactor = options.redactor ?? new Redactor();
    this.interactive = options.interactive;
    this.json = options.json;
    this.out = options.json ? (options.stderr ?? process.stderr) : (options.stdout ?? process.stdout);
    this.color = options.color && Boolean(this.out.isTTY);
    this.stdin = options.stdin ?? process.stdin;
  }

  get logFile(): string | null {
    return this.options.log?.file ?? null;
  }

  /** A secret value (password, key) that must never reach the log. */
  secret(value: string | undefined | null): void {
    this.redactor.add(value);
  }

  paint(style: Paint, text: string): string {
    return this.color ? `\x1b[${PAINT[style]}m${text}\x1b[0m` : text;
  }

  /** To the log only: commands run, their output, details nobody reads unless it failed. */
  log(kind: string, text: string): void {
    this.options.log?.write(kind, text);
  }

  line(text = ''): void {
    this.out.write(`${text}\n`);
    this.log('out', text);
  }

  info(text: string): void {
    this.line(`  ${text}`);
  }

  warn(text: string): void {
    this.out.write(`${this.paint('yellow', `! ${text}`)}\n`);
    this.log('warn', text);
  }

  /** Something the operator must not miss: boxed, bold, in both languages by the caller. */
  loud(lines: string[]): void {
    const bar = '!'.repeat(72);
    this.out.write(`\n${this.paint('red', bar)}\n`);
    for (const text of lines) this.out.write(`${this.paint('bold', `!! ${text}`)}\n`);
    this.out.write(`${this.paint('red', bar)}\n\n`);
    this.log('loud', lines.join('\n'));
  }

  async step<T>(name: string, work: (step: StepHandle) => Promise<T>): Promise<T> {
    let detail = '';
    let skipped: string | null = null;
    const handle: StepHandle = {
      detail: (text) => (detail = text),
      skip: (reason) => (skipped = reason),
    };
    const live = this.out.isTTY === true;
    if (live) this.out.write(`${this.paint('cyan', '…')} ${name}`);
    this.log('step', `… ${name}`);
    const started = Date.now();
    const clear = () => (live ? this.out.write('\r\x1b[2K') : undefined);
    try {
      const result = await work(handle);
      clear();
      const seconds = (Date.now() - started) / 1000;
      const timing = seconds >= 2 ? this.paint('dim', ` ${seconds.toFixed(1)} s`) : '';
      if (skipped !== null) {
        this.out.write(`${this.paint('dim', `– ${name} (${skipped})`)}\n`);
        this.log('step', `– ${name} (${skipped})`);
      } else {
        const suffix = detail ? ` (${detail})` : '';
        this.out.write(`${this.paint('green', '✔')} ${name}${suffix}${timing}\n`);
        this.log('step', `✔ ${name}${suffix} in ${seconds.toFixed(1)} s`);
      }
      return result;
    } catch (error) {
      clear();
      const message = error instanceof Error ? error.message : String(error);
      this.out.write(`${this.paint('red', '✖')} ${name}: ${this.redactor.apply(message)}\n`);
      this.log('step', `✖ ${name}: ${message}`);
      if (error instanceof Error && error.stack) this.log('stack', error.stack);
      throw error;
    }
  }

  /** Asks for a value on the terminal; `secret` does not echo it. */
  async ask(question: string, options: { secret?: boolean; defaultValue?: string } = {}): Promise<string> {
    if (!this.interactive) throw new Error(`cannot ask "${question}" without a terminal`);
    let muted = false;
    // Under --json the prompts go to stderr with the progress: stdout carries only the report.
    const terminal = this.out;
    const output = new Writable({
      write(chunk: Buffer, _encoding, done) {
        if (!muted) terminal.write(chunk);
        done();
      },
    });
    const prompt = readline.createInterface({ input: this.stdin, output, terminal: true });
    const suffix = options.defaultValue !== undefined && !options.secret ? ` [${options.defaultValue}]` : '';
    try {
      const answer = await new Promise<string>((resolve) => {
        prompt.question(`${question}${suffix}: `, resolve);
        muted = options.secret === true;
      });
      if (options.secret) terminal.write('\n');
      const value = answer.trim();
      return value === '' && options.defaultValue !== undefined ? options.defaultValue : value;
    } finally {
      prompt.close();
    }
  }

  /** True only when the operator types `expected` (a word, not just "y", for destructive steps). */
  async confirm(question: string, expected: string): Promise<boolean> {
    if (!this.interactive) return false;
    return (await this.ask(`${question} (type "${expected}")`)) === expected;
  }

  /** Waits for Enter, e.g. while the operator copies the private key off the server. */
  async pause(text: string): Promise<void> {
    if (!this.interactive) return;
    await this.ask(text);
  }

  close(): void {
    this.options.log?.close();
  }
}
