import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Cancelled } from '../../src/cli/io.js';
import { Prompter } from '../../src/cli/prompt.js';

/** A stand-in for a terminal: isTTY, and a record of raw-mode switches. */
function fakeTerminal() {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, modes: [] as boolean[] });
  Object.assign(stdin, { setRawMode: (mode: boolean) => stdin.modes.push(mode) });
  const output = { text: '' };
  const prompter = new Prompter({ stdin, stdout: { write: (s: string) => (output.text += s) } });
  return { stdin, output, prompter };
}

describe('Prompter on a terminal', () => {
  it('reads secrets in raw mode, keystroke by keystroke, with Backspace and Ctrl-U, and restores the mode', async () => {
    const { stdin, output, prompter } = fakeTerminal();
    const secret = prompter.secret('Password: ');
    for (const key of ['s', 'x', '\x7f', 'e', 'c', '\x1b[D', 'r', 'e', 't', '\r']) stdin.write(key);
    await expect(secret).resolves.toBe('secret');
    const again = prompter.secret('Password (again): ');
    stdin.write('junk\x15pass word\r');
    await expect(again).resolves.toBe('pass word');
    expect(stdin.modes).toEqual([true, false, true, false]);
    expect(output.text).toBe('Password: \nPassword (again): \n');
    prompter.close();
  });

  it('cancels on Ctrl-C, and on Ctrl-D at an empty prompt', async () => {
    const { stdin, prompter } = fakeTerminal();
    const first = prompter.secret('Password: ');
    stdin.write('abc\x03');
    await expect(first).rejects.toBeInstanceOf(Cancelled);
    const second = prompter.secret('Password: ');
    stdin.write('\x04');
    await expect(second).rejects.toBeInstanceOf(Cancelled);
    expect(stdin.modes).toEqual([true, false, true, false]);
  });

  it('keeps visible prompts in line mode', async () => {
    const { stdin, prompter } = fakeTerminal();
    const email = prompter.line('Email: ');
    stdin.write('kim@example.com\n');
    await expect(email).resolves.toBe('kim@example.com');
    expect(stdin.modes).toEqual([]);
  });
});

describe('Prompter on a pipe', () => {
  it('splits \\n, \\r\\n and \\r lines, across chunks, and keeps the rest for the next prompt', async () => {
    const stdin = new PassThrough();
    const prompter = new Prompter({ stdin, stdout: { write: () => true } });
    stdin.write('one\r');
    await expect(prompter.line('')).resolves.toBe('one');
    stdin.write('\ntwo\r\nthr');
    stdin.end(Buffer.from('ee\nlast ünï', 'utf8'));
    await expect(prompter.line('')).resolves.toBe('two');
    await expect(prompter.secret('')).resolves.toBe('three');
    await expect(prompter.line('')).resolves.toBe('last ünï');
    await expect(prompter.line('')).rejects.toBeInstanceOf(Cancelled);
  });
});
