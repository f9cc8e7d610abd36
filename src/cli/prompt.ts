import { StringDecoder } from 'node:string_decoder';
import { Cancelled, type CliIO } from './io.js';

const CTRL_C = '\x03';
const CTRL_D = '\x04';
const CTRL_U = '\x15';
const ESCAPE_SEQUENCE = /^\x1b(?:\[[0-9;]*[A-Za-z~]|.)?/;

type Take = { value: string; rest: string } | null;

/**
 * Prompts on the CLI's streams, one line at a time. Secrets are read with the terminal in raw
 * mode so nothing is echoed (Python's getpass); from a pipe (scripts, tests) they are read as
 * plain lines, which no terminal echoes anyway. Input beyond the current line is kept for the
 * next prompt, so a script can feed every answer at once.
 *
 * @example
 * const prompter = new Prompter(io);
 * const email = await prompter.line('Email: ');
 * const password = await prompter.secret('Password: ');
 * prompter.close();
 */
export class Prompter {
  #buffer = '';
  #ended = false;
  #skipLineFeed = false;
  readonly #decoder = new StringDecoder('utf8');

  constructor(private readonly io: Pick<CliIO, 'stdin' | 'stdout'>) {}

  /** Reads one line, shown as typed. Throws Cancelled when the input ends first. */
  line(prompt: string): Promise<string> {
    this.io.stdout.write(prompt);
    return this.#read(false);
  }

  /** Reads one line with no echo. Throws Cancelled on Ctrl-C or when the input ends first. */
  async secret(prompt: string): Promise<string> {
    this.io.stdout.write(prompt);
    const { stdin } = this.io;
    const raw = Boolean(stdin.isTTY && stdin.setRawMode);
    if (raw) stdin.setRawMode!(true);
    try {
      return await this.#read(raw);
    } finally {
      if (raw) stdin.setRawMode!(false);
      this.io.stdout.write('\n');
    }
  }

  /** Stops reading, so a paused stdin does not keep the process alive. */
  close(): void {
    this.io.stdin.pause();
  }

  #read(raw: boolean): Promise<string> {
    const { stdin } = this.io;
    return new Promise<string>((resolve, reject) => {
      let settled = false;
      const finish = (error: Error | null, value = '') => {
        settled = true;
        stdin.removeListener('data', onData);
        stdin.removeListener('end', onEnd);
        stdin.removeListener('error', onError);
        stdin.pause();
        if (error) reject(error);
        else resolve(value);
      };
      const attempt = () => {
        let taken: Take;
        try {
          taken = raw ? this.#takeKeys() : this.#takeLine();
        } catch (error) {
          return finish(error as Error);
        }
        if (taken) {
          this.#buffer = taken.rest;
          return finish(null, taken.value);
        }
        if (this.#ended) finish(new Cancelled());
      };
      const onData = (chunk: Buffer | string) => {
        this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
        attempt();
      };
      const onEnd = () => {
        this.#buffer += this.#decoder.end();
        this.#ended = true;
        attempt();
      };
      const onError = (error: Error) => finish(error);
      // 'end' may have been emitted while no read was waiting (the stream ended after a line).
      if ((stdin as { readableEnded?: boolean }).readableEnded) this.#ended = true;
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.on('error', onError);
      attempt();
      if (!settled) stdin.resume();
    });
  }

  /** A line ended by \n, \r\n or \r (or by the end of the input, when it has text). */
  #takeLine(): Take {
    if (this.#skipLineFeed && this.#buffer.startsWith('\n')) this.#buffer = this.#buffer.slice(1);
    if (this.#buffer.length > 0) this.#skipLineFeed = false;
    const end = this.#buffer.search(/[\r\n]/);
    if (end < 0) return this.#ended && this.#buffer.length > 0 ? { value: this.#buffer, rest: '' } : null;
    this.#skipLineFeed = this.#buffer[end] === '\r';
    const rest = this.#buffer.slice(end + 1);
    return {
      value: this.#buffer.slice(0, end),
      rest: this.#skipLineFeed && rest.startsWith('\n') ? rest.slice(1) : rest,
    };
  }

  /** Keystrokes from a terminal in raw mode: Enter ends, Backspace and Ctrl-U edit, Ctrl-C cancels. */
  #takeKeys(): Take {
    let value = '';
    let i = 0;
    while (i < this.#buffer.length) {
      const ch = this.#buffer[i]!;
      if (ch === '\r' || ch === '\n') return { value, rest: this.#buffer.slice(i + 1) };
      if (ch === CTRL_C) throw new Cancelled();
      if (ch === CTRL_D && value === '') throw new Cancelled();
      if (ch === '\x7f' || ch === '\b') value = [...value].slice(0, -1).join('');
      else if (ch === CTRL_U) value = '';
      else if (ch === '\x1b') {
        i += ESCAPE_SEQUENCE.exec(this.#buffer.slice(i))![0].length;
        continue;
      } else if (ch >= ' ') value += ch;
      i++;
    }
    return null;
  }
}
