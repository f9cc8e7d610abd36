import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config/load.js';
import { createDoorman, type Doorman } from '../../src/core.js';
import { sqliteStorage } from '../../src/storage/sqlite/index.js';
import type { Storage } from '../../src/storage/ports.js';

export const PASSWORD = 'correct horse battery';

/** A temporary SQLite file and the DOORMAN_* environment that points the CLI at it. */
export interface CliSandbox {
  file: string;
  env: Record<string, string>;
  /** Runs `doorman <argv>` in-process; `input` is everything typed, fed at once. */
  run(argv: string[], options?: { input?: string; env?: Record<string, string> }): Promise<CliRun>;
  /** A doorman over the same file, as a running server would have it (not started). */
  open(): Promise<{ doorman: Doorman; storage: Storage }>;
  cleanup(): Promise<void>;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function sink() {
  const out = { text: '' };
  return { out, stream: { write: (chunk: string) => (out.text += chunk) } };
}

export function cliSandbox(): CliSandbox {
  const dir = mkdtempSync(join(tmpdir(), 'doorman-cli-'));
  const file = join(dir, 'db.sqlite3');
  const env = {
    DOORMAN_DATABASE_URL: `sqlite:${file}`,
    DOORMAN_SIGNING_KEY: randomBytes(48).toString('base64url'),
    DOORMAN_ARGON2_MEMORY_COST: '1024',
    DOORMAN_ARGON2_TIME_COST: '1',
  };
  const opened: Array<{ doorman: Doorman; storage: Storage }> = [];
  return {
    file,
    env,
    async run(argv, options = {}) {
      const stdin = new PassThrough();
      stdin.end(options.input ?? '');
      const stdout = sink();
      const stderr = sink();
      const code = await runCli(argv, {
        stdin,
        stdout: stdout.stream,
        stderr: stderr.stream,
        env: { ...env, ...options.env },
      });
      return { code, stdout: stdout.out.text, stderr: stderr.out.text };
    },
    async open() {
      const config = loadConfig({ env, ignoreFile: true });
      const storage = sqliteStorage(file);
      await storage.migrate();
      const handle = { doorman: createDoorman({ config, storage }), storage };
      opened.push(handle);
      return handle;
    },
    async cleanup() {
      for (const { doorman, storage } of opened) {
        await doorman.close();
        await storage.close();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
