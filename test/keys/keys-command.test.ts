import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerKeysCommand } from '../../src/cli/commands/keys.js';

describe('doorman keys (registerKeysCommand)', () => {
  let dir: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'doorman-keys-cli-'));
    out = '';
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function run(argv: string[], env: Record<string, string> = { DOORMAN_KEYSTORE_FILE: join(dir, 'ks.json') }) {
    const program = new Command('doorman').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
    registerKeysCommand(program, { stdout: { write: (s: string) => (out += s) }, env });
    return program.parseAsync(argv, { from: 'user' });
  }

  it('generates, stages, rotates and lists through commander', async () => {
    await run(['keys', 'generate', '--algorithm', 'RS256']);
    expect(out).toMatch(/Created .*ks.json with active key \S+ \(RS256\)/);
    await run(['keys', 'generate']);
    expect(out).toMatch(/Added next key/);
    await run(['keys', 'rotate']);
    expect(out).toMatch(/Retired \S+: its tokens verify until/);
    await run(['keys', 'list']);
    expect(out.match(/RS256/g)!.length).toBeGreaterThanOrEqual(2);
    await run(['keys', 'retire']);
    expect(out).toMatch(/nothing removed/);
  });

  it('explains what is missing or wrong', async () => {
    await expect(run(['keys', 'list'], {})).rejects.toThrow(/set DOORMAN_KEYSTORE_FILE/);
    await expect(run(['keys', 'list'])).rejects.toThrow(/does not exist; create it with: doorman keys generate/);
    await expect(run(['keys', 'generate', '--algorithm', 'none'])).rejects.toThrow(/unknown algorithm "none"/);
    await run(['keys', 'generate']);
    await expect(run(['keys', 'retire', 'nope'])).rejects.toThrow(/no key with kid "nope"/);
  });
});
