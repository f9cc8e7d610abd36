import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import { SkipError } from '../lib/skip.js';
import { TOKEN_POOL } from '../floors/hmac.js';

// Cost of doorman's in-process access-token verification (what every
// authenticated request and POST /account/token/verify/ pay), measured in a
// micro-benchmark child against the node:crypto HMAC floor. In-process rather
// than over HTTP, because over HTTP the framework cost would hide it.
//
// The hook: doorman's built core (dist/core.js): tokens are issued by
// doorman.tokens.issuePair and checked by doorman.tokens.verifyOwnAccess, the
// synchronous check every authenticated request runs before its cached
// user-state lookup. Memory storage: no I/O is involved in verification.
const MODULE = process.env.DOORMAN_BENCH_TOKENS_MODULE || join('dist', 'core.js');

// Returns { sign(), verify(token) }: sign() makes a new distinct valid access token.
async function bind(modulePath, signingKey) {
  const dist = (rel) => import(pathToFileURL(join(dirname(modulePath), rel)).href);
  const { createDoorman } = await import(pathToFileURL(modulePath).href);
  const { loadConfig } = await dist('config/load.js');
  const { memoryStorage } = await dist('storage/memory/index.js');
  const config = loadConfig({ env: {}, ignoreFile: true, overrides: { environment: 'test', signingKey } });
  const storage = memoryStorage();
  const doorman = createDoorman({ config, storage });
  const user = await storage.users.create({ email: 'bench@example.com', password: null });
  // verifyOwnAccess: the synchronous check of doorman's own tokens (verifyAccess became the
  // async one that may fall back to JWK_URL); older checkouts only have verifyAccess.
  const own = doorman.tokens.verifyOwnAccess
    ? (t) => doorman.tokens.verifyOwnAccess(t)
    : (t) => doorman.tokens.verifyAccess(t);
  return { sign: async () => (await doorman.tokens.issuePair(user)).access, verify: own };
}

// Called inside the micro-benchmark child. variant 'distinct' cycles through
// more tokens than fast-jwt caches (the honest per-token cost, compared with
// the floor); 'same' re-verifies one token (the cache-hit path of a client
// repeating its token).
export async function prepare({ modulePath, variant }) {
  const signingKey = randomBytes(48).toString('base64url');
  const bound = await bind(modulePath, signingKey);
  const n = variant === 'same' ? 1 : TOKEN_POOL;
  const tokens = [];
  for (let k = 0; k < n; k++) tokens.push(await bound.sign());
  const first = bound.verify(tokens[0]);
  if (first && typeof first.then === 'function') throw new Error('verifyAccess is async; adapt the hook to measure it');
  let i = 0;
  return { op: () => bound.verify(tokens[i++ & (n - 1)]) };
}

export default {
  name: 'token-verify',
  kind: 'micro',
  description: 'in-process doorman.tokens.verifyOwnAccess vs node:crypto HS256 verify',
  floor: 'hmac',
  metric: 'us_per_op',
  compare: { us_per_op_same_token: 'us_per_op' },
  target: { ratio: 1.5, op: '<=' },
  async setup(ctx) {
    const modulePath = join(ctx.root, MODULE);
    if (!existsSync(modulePath))
      throw new SkipError(`hook not wired: ${MODULE} not found (see bench/scenarios/token-verify.js)`);
    let mod;
    try {
      mod = await import(pathToFileURL(modulePath).href);
    } catch (e) {
      throw new SkipError(`hook not wired: import ${MODULE} failed: ${e.message}`);
    }
    if (typeof mod.createDoorman !== 'function')
      throw new SkipError(`hook not wired: ${MODULE} exports no createDoorman`);
    ctx.state.modulePath = modulePath;
  },
  async run(ctx) {
    const { modulePath } = ctx.state;
    const r = await ctx.micro({ module: import.meta.url, opts: { modulePath, variant: 'distinct' } });
    const same = await ctx.micro({
      module: import.meta.url,
      opts: { modulePath, variant: 'same' },
      durationMs: ctx.duration * 500,
    });
    return { us_per_op: r.us_per_op, us_per_op_same_token: same.us_per_op };
  },
};
