// Per-request CPU of the Fastify pipeline by inject (no socket): doorman's mypage vs a bare Fastify route.
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import { buildApp } from './dist/app.js';
import { createDoorman } from './dist/core.js';
import { loadConfig } from './dist/config/load.js';
import { openConfiguredStorage } from './dist/storage/open.js';
import { MYPAGE_BODY, MYPAGE_SCHEMA, MYPAGE_PATH } from './bench/floors/payload.js';
const env = { DOORMAN_DATABASE_URL: `sqlite:/tmp/mp/inj-${process.pid}.sqlite3`, DOORMAN_SIGNING_KEY: randomBytes(48).toString('base64url'), NODE_ENV: 'production', DOORMAN_THROTTLE: 'false' };
const config = loadConfig({ env });
const storage = openConfiguredStorage(config);
await storage.migrate();
const app = await buildApp({ doorman: createDoorman({ config, storage }) });
await app.doorman.start();
const j = await app.inject({ method: 'POST', url: '/account/join/', payload: { email: 'p@example.com', password1: 'Sup3r-secret-pass', password2: 'Sup3r-secret-pass' } });
const access = j.json().access;
const bare = Fastify({ logger: false });
bare.get(MYPAGE_PATH, { schema: { response: { 200: MYPAGE_SCHEMA } } }, async () => MYPAGE_BODY);
await bare.ready();
const variants = {
  bare: () => bare.inject({ url: MYPAGE_PATH }),
  doorman: () => app.inject({ url: '/account/mypage/', headers: { authorization: `Bearer ${access}` } }),
};
const r0 = await variants.doorman(); if (r0.statusCode !== 200) throw new Error(r0.body);
const only = (process.argv[2] || 'bare,doorman').split(',');
const per = Object.fromEntries(only.map((k) => [k, []]));
for (let round = 0; round < Number(process.argv[3] || 8); round++) for (const k of only) {
  const c0 = process.cpuUsage(); const N = 20000;
  for (let i = 0; i < N; i += 64) await Promise.all(Array.from({ length: 64 }, variants[k]));
  const c = process.cpuUsage(c0); per[k].push((c.user + c.system) / N);
}
for (const k of only) { const s = [...per[k]].sort((a, b) => a - b); console.log(k, 'us/req med', s[s.length >> 1].toFixed(1), 'min', s[0].toFixed(1)); }
await app.close(); await app.doorman.close(); await storage.close();
