import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDoorman, createUsers, stopDoorman, PATHS } from './doorman.js';
import { LOGIN_USERS } from './login.js';

const SCRIPT = fileURLToPath(new URL('../lua/post-json.lua', import.meta.url));
// A light, fixed mypage probe (1 thread, 8 connections) so its p99 reflects
// interference from logins rather than its own saturation of the server.
const PROBE = { threads: 1, connections: 8 };

// Do argon2 hashes (libuv pool) starve the event loop? mypage p99 is measured
// idle and then while a login storm runs, in the same rep on the same server.
export default {
  name: 'login-storm',
  kind: 'http',
  description: 'mypage p99 (wrk -t1 -c8) idle vs during a login storm (-t1 -c16)',
  floor: 'node-http',
  metric: 'storm_p99_ms',
  target: { metric: 'storm_p99_ms', against: 'idle_p99_ms', ratio: 2, op: '<=' },
  async setup(ctx) {
    ctx.state.d = await startDoorman(ctx, 'storm');
    const [me, ...others] = await createUsers(ctx.state.d, 1 + LOGIN_USERS, 'storm');
    ctx.state.me = me;
    ctx.state.bodies = join(ctx.tmpdir, 'storm-bodies.txt');
    writeFileSync(
      ctx.state.bodies,
      others.map((u) => JSON.stringify({ email: u.email, password: u.password })).join('\n') + '\n',
    );
  },
  async run(ctx) {
    const { d, me, bodies } = ctx.state;
    const { access } = await d.login(me);
    const mypage = { url: d.url + PATHS.mypage, headers: { Authorization: `Bearer ${access}` }, ...PROBE };
    const idle = await ctx.wrk(mypage);
    // The storm starts first and outlasts the probe so the probe never sees a
    // ramp-up or tail without logins.
    const storm = ctx.wrk({
      url: d.url,
      threads: 1,
      connections: 16,
      duration: ctx.duration + 2,
      script: SCRIPT,
      scriptArgs: [PATHS.login, bodies],
    });
    const probe = new Promise((r) => setTimeout(r, 1000)).then(() => ctx.wrk(mypage));
    // allSettled: never leave one wrk running into the next scenario's run
    const [s, p] = await Promise.allSettled([storm, probe]);
    for (const x of [s, p]) if (x.status === 'rejected') throw x.reason;
    const logins = s.value,
      during = p.value;
    return {
      idle_p99_ms: idle.p99_ms,
      storm_p99_ms: during.p99_ms,
      idle_rps: idle.rps,
      storm_rps: during.rps,
      storm_login_rps: logins.rps,
    };
  },
  teardown: stopDoorman,
};
