import { Command } from 'commander';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it("keeps the active key's algorithm unless --algorithm says otherwise (README rotation, issue 17)", async () => {
    const env = { DOORMAN_KEYSTORE_FILE: join(dir, 'ks.json') }; // ALGORITHM left at its HS256 default
    await run(['keys', 'generate', '--algorithm', 'ES256'], env);
    await run(['keys', 'generate'], env);
    expect(out).toMatch(/Added next key \S+ \(ES256\)/);
    await run(['keys', 'rotate'], env);
    expect(out).toMatch(/Active key: \S+ \(ES256\)/);
    const keys = JSON.parse(readFileSync(env.DOORMAN_KEYSTORE_FILE, 'utf8')).keys as Array<{
      alg: string;
      status: string;
    }>;
    expect(keys.map((k) => [k.alg, k.status])).toEqual([
      ['ES256', 'active'],
      ['ES256', 'retired'],
    ]);
    await run(['keys', 'generate', '--algorithm', 'EdDSA'], env);
    expect(out).toMatch(/Added next key \S+ \(EdDSA\)/);
  });

  it('keeps at most one next key: a second generate is refused, --force replaces the staged one', async () => {
    const file = join(dir, 'ks.json');
    await run(['keys', 'generate', '--algorithm', 'RS256']);
    await run(['keys', 'generate']);
    const staged = JSON.parse(readFileSync(file, 'utf8')).keys.find((k: { status: string }) => k.status === 'next')
      .kid as string;
    await expect(run(['keys', 'generate'])).rejects.toThrow(
      `key ${staged} (RS256) is already the next key: rotate to it first (doorman keys rotate), or pass --force to replace it`,
    );
    await expect(run(['keys', 'generate', '--algorithm', 'ES256'])).rejects.toThrow(/is already the next key/);
    await run(['keys', 'generate', '--force', '--algorithm', 'ES256']);
    expect(out).toContain(`Replaced next key ${staged} (RS256).`);
    const keys = JSON.parse(readFileSync(file, 'utf8')).keys as Array<{ kid: string; alg: string; status: string }>;
    expect(keys.filter((k) => k.status === 'next').map((k) => k.alg)).toEqual(['ES256']);
    expect(keys.map((k) => k.kid)).not.toContain(staged);
  });
});
