import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** Builds dist/ when it is missing or older than any source file (tests that start real processes). */
export function ensureBuilt(entry = join(ROOT, 'dist', 'server.js')): void {
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  if (built && !sources.some((f) => statSync(join(ROOT, 'src', f)).mtimeMs > built)) return;
  const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}
