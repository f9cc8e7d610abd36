import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDoorman, createUsers, stopDoorman, PATHS } from './doorman.js';
import { httpMetrics } from '../lib/wrk.js';

const SCRIPT = fileURLToPath(new URL('../lua/post-json.lua', import.meta.url));
export const LOGIN_USERS = 16;

// Login is one argon2 verify plus a token pair: its throughput should be
// bounded by argon2, so it is judged against the raw hash floor.
export default {
  name: 'login',
  kind: 'http',
  description: 'POST /account/login/ {email,password}, 16 users in rotation',
  floor: 'argon2',
  metric: 'rps',
  compare: { rps: 'hashes_per_s' },
  target: { ratio: 0.9, op: '>=' },
  async setup(ctx) {
    ctx.state.d = await startDoorman(ctx, 'login');
    const users = await createUsers(ctx.state.d, LOGIN_USERS, 'login');
    ctx.state.bodies = join(ctx.tmpdir, 'login-bodies.txt');
    writeFileSync(
      ctx.state.bodies,
      users.map((u) => JSON.stringify({ email: u.email, password: u.password })).join('\n') + '\n',
    );
  },
  async run(ctx) {
    const r = await ctx.wrk({ url: ctx.state.d.url, script: SCRIPT, scriptArgs: [PATHS.login, ctx.state.bodies] });
    return httpMetrics(r);
  },
  teardown: stopDoorman,
};
