import { hash, Algorithm } from '@node-rs/argon2';

// Floor for login/join: raw argon2id hashing with the parameters doorman uses
// (OWASP minimum: m=19 MiB, t=2, p=1). Two hashes are kept in flight at once --
// one per core -- on libuv's pool, which is the most a 2-core server can get.
export const ARGON2_OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 };
const CONCURRENCY = 2;

export async function prepare() {
  const password = 'correct horse battery staple 42';
  return { concurrency: CONCURRENCY, op: () => hash(password, ARGON2_OPTIONS) };
}

export default {
  name: 'argon2',
  kind: 'micro',
  role: 'floor',
  description: `raw argon2id hash (m=19456, t=2, p=1), ${CONCURRENCY} concurrent`,
  metric: 'hashes_per_s',
  async run(ctx) {
    const r = await ctx.micro({ module: import.meta.url });
    return { hashes_per_s: r.ops_per_s, ms_per_hash: r.mean_op_ms };
  },
};
