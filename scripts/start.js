#!/usr/bin/env node
// `npm start`: runs dist/server.js, compiling first only when dist/ is missing or older than src/
// (a fresh clone after `npm install`). A packed or built tree (`npm ci --omit=dev`, no tsc) never
// compiles, and a current dist/ starts at once instead of paying tsc's 3-7 s on every start.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.built');

/** Newest modification time under `path` (a file or a folder), 0 when it does not exist. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = Math.max(
  newest(join(root, 'src')),
  newest(join(root, 'tsconfig.json')),
  newest(join(root, 'tsconfig.build.json')),
);
const built = existsSync(join(root, 'dist', 'server.js'))
  ? Math.max(newest(stamp), newest(join(root, 'dist', '.tsbuildinfo')))
  : 0;
if (sources > 0 && sources > built) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    process.stderr.write(
      'doorman: dist/ is missing or older than src/, and TypeScript is not installed: run `npm install` (or `npm run build` where it is)\n',
    );
    process.exit(1);
  }
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
if (!existsSync(join(root, 'dist', 'server.js'))) {
  process.stderr.write('doorman: dist/server.js is missing: run `npm run build`\n');
  process.exit(1);
}
const { serve, reportStartupError } = await import('../dist/server.js');
await serve().catch(reportStartupError);
