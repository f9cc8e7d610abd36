#!/usr/bin/env node
// `npx doorman <command>`: the compiled CLI (dist/ is built by `npm run build`, by `npm start` when
// stale, and by `prepack` into the published package).
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/cli/index.js', import.meta.url))) {
  process.stderr.write('doorman: dist/ is not built yet: run `npm run build` (or `npm start` once)\n');
  process.exit(1);
}
const { runCli } = await import('../dist/cli/index.js');
process.exitCode = await runCli(process.argv.slice(2));
