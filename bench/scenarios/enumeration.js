import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDoorman, createUsers, stopDoorman, PATHS } from './doorman.js';
import { SkipError } from '../lib/skip.js';

// Account enumeration by timing: login and password reset must take the same time for
// a registered and an unregistered e-mail. One client, one request at a time on one
// keep-alive connection, known and unknown e-mails alternating (the order flips every
// pair, so neither class always follows the other), a short pause after each answer so
// background work (the reset mail) is not billed to the next request. Metrics are per-class
// medians in ms and their ratio unknown/known; the target is within 5%.
const LOGIN_PAIRS = 120;
const RESET_PAIRS = 300;
const USERS = 4;

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function timedPost(url, path, body) {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request(
      url + path,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function pairs(url, n, path, known, unknown, expect) {
  const times = { known: [], unknown: [] };
  for (let i = 0; i < n; i++) {
    const order = i % 2 === 0 ? ['known', 'unknown'] : ['unknown', 'known'];
    for (const which of order) {
      const body = which === 'known' ? known(i) : unknown(i);
      const r = await timedPost(url, path, body);
      if (r.status !== expect) throw new SkipError(`POST ${path} answered ${r.status}, expected ${expect}`);
      times[which].push(r.ms);
      await sleep(3);
    }
  }
  return times;
}

export default {
  name: 'enumeration',
  kind: 'http',
  description:
    'login and password reset, registered vs unregistered e-mail: medians in ms and ratio unknown/known (one client, sequential)',
  metric: 'login_ratio',
  target: [
    { metric: 'login_ratio', value: 0.95, op: '>=' },
    { metric: 'login_ratio', value: 1.05, op: '<=' },
    { metric: 'reset_ratio', value: 0.95, op: '>=' },
    { metric: 'reset_ratio', value: 1.05, op: '<=' },
  ],
  async setup(ctx) {
    ctx.state.d = await startDoorman(ctx, 'enumeration', {
      // Mail on, as in a real deployment: known e-mails really get a reset mail (written as .eml).
      DOORMAN_MAIL_URL: `file://${join(ctx.tmpdir, 'enumeration-mail')}`,
      DOORMAN_PASSWORD_RESET_URL: 'https://app.example.com/reset/{uid}/{token}/',
    });
    ctx.state.users = await createUsers(ctx.state.d, USERS, 'enum');
  },
  async run(ctx) {
    const { d, users } = ctx.state;
    const rounds = ctx.warmup ? 0.2 : 1;
    const user = (i) => users[i % users.length];
    const ghost = (i) => `ghost-${ctx.rep ?? 0}-${i}@bench.test`;
    const login = await pairs(
      d.url,
      Math.ceil(LOGIN_PAIRS * rounds),
      PATHS.login,
      (i) => ({ email: user(i).email, password: 'Wrong-password-123!' }),
      (i) => ({ email: ghost(i), password: 'Wrong-password-123!' }),
      400,
    );
    const reset = await pairs(
      d.url,
      Math.ceil(RESET_PAIRS * rounds),
      '/account/password/reset/',
      (i) => ({ email: user(i).email }),
      (i) => ({ email: ghost(i) }),
      200,
    );
    const m = {
      login_known_ms: median(login.known),
      login_unknown_ms: median(login.unknown),
      reset_known_ms: median(reset.known),
      reset_unknown_ms: median(reset.unknown),
    };
    return {
      ...m,
      login_ratio: m.login_unknown_ms / m.login_known_ms,
      reset_ratio: m.reset_unknown_ms / m.reset_known_ms,
    };
  },
  teardown: stopDoorman,
};
