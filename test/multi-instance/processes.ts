import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ROOT } from '../dist-build.js';

export interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  output: string[];
}

export const SHARED_KEY = randomBytes(48).toString('base64url');

/** The environment of the machine without its DOORMAN_* settings, plus `extra`. */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k, v]) => !k.startsWith('DOORMAN_') && k !== 'DATABASE_URL' && v !== undefined,
    ),
  ) as Record<string, string>;
  return { ...env, ...extra };
}

/** Starts `node dist/server.js` on a free port and resolves once it listens. */
export function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'server.js')], {
    // Throttling off: these tests drive many joins and logins from one address on purpose.
    env: childEnv({
      DOORMAN_PORT: '0',
      DOORMAN_ENVIRONMENT: 'production',
      DOORMAN_SIGNING_KEY: SHARED_KEY,
      DOORMAN_LOG_LEVEL: 'info',
      DOORMAN_THROTTLE: 'false',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onLine = (line: string) => {
      output.push(line);
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match) resolve({ name, url: match[1]!, child, exited, output });
    };
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\n')) >= 0) {
        onLine(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    void exited.then((code) => reject(new Error(`${name} exited (${code}) before listening:\n${output.join('\n')}`)));
  });
}

export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, any> };
}

export async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, { headers });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, any> };
}

export async function del(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, { method: 'DELETE', headers });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, any> };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
