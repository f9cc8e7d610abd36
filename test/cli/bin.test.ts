import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../dist-build.js';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

const root = join(import.meta.dirname, '..', '..');
const entry = join(root, 'dist', 'cli', 'index.js');

beforeAll(() => ensureBuilt(entry), 120_000);

let box: CliSandbox;
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => box.cleanup());

/** The environment of a real shell, without any DOORMAN_* settings of the machine running the tests. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => !k.startsWith('DOORMAN_') && v !== undefined),
  ) as Record<string, string>;
  return { ...env, ...box.env, ...extra };
}

describe('bin/doorman.js as a child process', () => {
  it('createsuperuser --no-input creates a superuser who can log in', async () => {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['bin/doorman.js', 'createsuperuser', '--no-input', '--email', 'admin@example.com'],
      { cwd: root, env: childEnv({ DOORMAN_SUPERUSER_PASSWORD: PASSWORD }) },
    );
    expect(stdout).toBe('Superuser created successfully.\n');
    expect(stderr).toBe('');
    const { doorman } = await box.open();
    expect(await doorman.accounts.authenticate('admin@example.com', PASSWORD)).toMatchObject({
      isStaff: true,
      isSuperuser: true,
    });
  });

  it('exits 78 for a configuration error and 1 for a user mistake, without a stack', () => {
    const config = spawnSync(process.execPath, ['bin/doorman.js', 'migrate'], {
      cwd: root,
      env: childEnv({ DOORMAN_NOT_A_SETTING: '1' }),
      encoding: 'utf8',
    });
    expect(config.status).toBe(78);
    expect(config.stderr).toBe(
      'doorman: configuration error: DOORMAN_NOT_A_SETTING: unknown setting (see docs/settings.md for the list)\n',
    );
    const mistake = spawnSync(process.execPath, ['bin/doorman.js', 'changepassword', 'nobody@example.com'], {
      cwd: root,
      env: childEnv({}),
      encoding: 'utf8',
    });
    expect(mistake.status).toBe(1);
    expect(mistake.stderr).toBe('doorman: error: user "nobody@example.com" does not exist\n');
  });

  it('reads prompts from a pipe and exits when done', () => {
    const run = spawnSync(process.execPath, ['bin/doorman.js', 'createsuperuser'], {
      cwd: root,
      env: childEnv({}),
      input: `kim@example.com\n${PASSWORD}\n${PASSWORD}\n`,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Superuser created successfully.');
  });
});
