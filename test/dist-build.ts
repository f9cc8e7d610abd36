import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

const stale = (entry: string) => {
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  return !built || sources.some((f) => statSync(join(ROOT, 'src', f)).mtimeMs > built);
};

/**
 * Builds dist/ when it is missing or older than any source file (tests that start real
 * processes). Test files run in parallel workers: a lock folder keeps two builds from writing
 * dist/ at the same time.
 */
export function ensureBuilt(entry = join(ROOT, 'dist', 'server.js')): void {
  if (!stale(entry)) return;
  const lock = join(ROOT, 'node_modules', '.doorman-test-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`another test has held ${lock} for 2 minutes; remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!stale(entry)) return;
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
