#!/usr/bin/env node
// `npx doorman <command>`: the compiled CLI (npm run build, run on install by "prepare").
import { runCli } from '../dist/cli/index.js';

process.exitCode = await runCli(process.argv.slice(2));
