import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { SkipError } from '../lib/skip.js';
import { makeAccessToken } from '../floors/hmac.js';

// Cost of doorman's in-process access-token verification (what every
// authenticated request and POST /account/token/verify/ pay), measured in a
// micro-benchmark child against the node:crypto HMAC floor. In-process rather
// than over HTTP, because over HTTP the framework cost would hide it.
//
// HOOK -- wire when the server exists. Assumed: a built module (default
// dist/tokens.js, or $DOORMAN_BENCH_TOKENS_MODULE relative to the repo root)
// exporting `verifyAccess(token, { signingKey })` that throws on a bad token.
// If it also exports `signAccess(claims, { signingKey })`, the token comes from
// doorman itself; otherwise an HS256 token with simplejwt claims is used.
// Adapt `bind` below if the real signatures differ.
const MODULE = process.env.DOORMAN_BENCH_TOKENS_MODULE || join('dist', 'tokens.js');

async function bind(mod, signingKey) {
  if (typeof mod.verifyAccess !== 'function') return null;
  const token = typeof mod.signAccess === 'function'
    ? await mod.signAccess({ user_id: 1 }, { signingKey })
    : makeAccessToken(signingKey);
  const verify = (t) => mod.verifyAccess(t, { signingKey });
  return { token, verify };
}

// Called inside the micro-benchmark child.
export async function prepare({ modulePath }) {
  const signingKey = randomBytes(48).toString('base64url');
  const bound = await bind(await import(pathToFileURL(modulePath).href), signingKey);
  const first = await bound.verify(bound.token);
  if (first && typeof first.then === 'function') throw new Error('verifyAccess is async; adapt the hook to measure it');
  return { op: () => bound.verify(bound.token) };
}

export default {
  name: 'token-verify',
  kind: 'micro',
  description: 'in-process verifyAccess (hook) vs node:crypto HS256 verify',
  floor: 'hmac',
  metric: 'us_per_op',
  target: { ratio: 1.5, op: '<=' },
  async setup(ctx) {
    const modulePath = join(ctx.root, MODULE);
    if (!existsSync(modulePath)) throw new SkipError(`hook not wired: ${MODULE} not found (see bench/scenarios/token-verify.js)`);
    let mod;
    try { mod = await import(pathToFileURL(modulePath).href); } catch (e) { throw new SkipError(`hook not wired: import ${MODULE} failed: ${e.message}`); }
    if (typeof mod.verifyAccess !== 'function') throw new SkipError(`hook not wired: ${MODULE} exports no verifyAccess`);
    ctx.state.modulePath = modulePath;
  },
  async run(ctx) {
    const r = await ctx.micro({ module: import.meta.url, opts: { modulePath: ctx.state.modulePath } });
    return { us_per_op: r.us_per_op, ops_per_s: r.ops_per_s };
  },
};
