import { fileURLToPath } from 'node:url';
import { startDoorman, stopDoorman, strongPassword, PATHS } from './doorman.js';
import { httpMetrics } from '../lib/wrk.js';

const SCRIPT = fileURLToPath(new URL('../lua/join.lua', import.meta.url));
let runNo = 0;

// Sign-up: argon2 hash + INSERT + token pair. The issue sets no target; it is
// reported against the argon2 floor so a regression is still visible.
export default {
  name: 'join',
  kind: 'http',
  description: 'POST /account/join/ with a new email per request',
  floor: 'argon2',
  metric: 'rps',
  compare: { rps: 'hashes_per_s' },
  target: null,
  async setup(ctx) {
    ctx.state.d = await startDoorman(ctx, 'join');
    ctx.state.password = strongPassword();
  },
  async run(ctx) {
    const prefix = `j${process.pid}r${++runNo}`; // unique per run, so no email repeats
    const r = await ctx.wrk({
      url: ctx.state.d.url,
      script: SCRIPT,
      scriptArgs: [PATHS.join, prefix, ctx.state.password],
    });
    return httpMetrics(r);
  },
  teardown: stopDoorman,
};
