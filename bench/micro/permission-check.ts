/**
 * Per-request cost of a permission check, through inject() (no sockets): a bare route, the
 * same route behind requirePermission(isAuthenticated), and behind a model permission (cached
 * permission set). Run: npx tsx bench/micro/permission-check.ts
 */
import Fastify from 'fastify';
import {
  createDoorman,
  djangoModelPermissions,
  doormanPlugin,
  isAuthenticated,
  loadConfig,
  memoryStorage,
  requirePermission,
} from '../../src/index.js';

const config = loadConfig({
  env: {},
  ignoreFile: true,
  overrides: {
    environment: 'test',
    signingKey: 'k3Jq9vX2mZ8pL4wR7tY1uH6nB0cF5dG3sA9eQ2iO8xV4',
    argon2MemoryCost: 1024,
    argon2TimeCost: 1,
    logLevel: 'silent',
  },
});
const storage = memoryStorage();
const doorman = createDoorman({ config, storage });
const app = Fastify({ logger: false });
await app.register(doormanPlugin, { doorman });
app.get('/none', async () => ({ ok: true }));
app.get('/auth', { preValidation: requirePermission(isAuthenticated) }, async () => ({ ok: true }));
app.post('/model', { preValidation: requirePermission(djangoModelPermissions('board.post')) }, async () => ({
  ok: true,
}));
const user = await storage.users.create({ email: 'b@example.com', password: null });
await doorman.permissions.grantToUser(user.id, 'board.add_post');
const { access } = await doorman.tokens.issuePair(user);
const headers = { authorization: `Bearer ${access}` };

async function measure(name: string, run: () => Promise<{ statusCode: number }>, n = 20_000) {
  for (let i = 0; i < 2000; i++) await run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if ((await run()).statusCode !== 200) throw new Error(name);
  const us = Number(process.hrtime.bigint() - start) / 1000 / n;
  console.log(`${name.padEnd(44)} ${us.toFixed(2)} µs/request`);
  return us;
}
const none = await measure('no permission', () => app.inject({ url: '/none', headers }));
const auth = await measure('requirePermission(isAuthenticated)', () => app.inject({ url: '/auth', headers }));
const model = await measure('requirePermission(djangoModelPermissions)', () =>
  app.inject({ method: 'POST', url: '/model', headers }),
);
console.log(
  `overhead: isAuthenticated +${(auth - none).toFixed(2)} µs, model permission +${(model - none).toFixed(2)} µs`,
);
await app.close();
{
  const n = 50_000;
  let start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await doorman.authenticate(access);
  console.log(
    `doorman.authenticate alone                   ${(Number(process.hrtime.bigint() - start) / 1000 / n).toFixed(2)} µs`,
  );
  const { assertPermission } = await import('../../src/index.js');
  const p = djangoModelPermissions('board.post');
  const subject = {
    method: 'POST',
    user: {
      id: 1,
      email: 'b',
      isActive: true,
      isStaff: false,
      isSuperuser: false,
      permissions: new Set(['board.add_post']),
    },
  };
  start = process.hrtime.bigint();
  for (let i = 0; i < n * 10; i++) assertPermission(subject, [p]);
  console.log(
    `the predicate alone (model permission)       ${(Number(process.hrtime.bigint() - start) / 1000 / n / 10).toFixed(3)} µs`,
  );
}
