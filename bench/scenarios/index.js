// The registry: floors first, then doorman scenarios. Within each repetition run.js runs
// each floor followed by the scenarios measured against it, in this order. A scenario is a plain object:
//   { name, kind: 'http'|'micro', description, setup?(ctx), run(ctx) -> {metric: number},
//     teardown?(ctx), floor: 'node-http'|'hmac'|'argon2', metric,
//     compare?: {ownMetric: floorMetric}, target: null | T | T[] }
//   T = { ratio, op } vs the floor's metric, | { value, op } absolute,
//       | { ratio, op, against: 'otherMetric' } vs its own metric in the same rep
//       | { ratio, op, of: 'scenario' } vs that scenario's same metric, rep by rep
//         (--only brings it along).
import nodeHttp from '../floors/node-http.js';
import fastify from '../floors/fastify.js';
import hmac from '../floors/hmac.js';
import argon2 from '../floors/argon2.js';
import mypage, { mypagePg } from './mypage.js';
import tokenVerify from './token-verify.js';
import login from './login.js';
import refresh, { refreshPg } from './refresh.js';
import join from './join.js';
import loginStorm from './login-storm.js';
import enumeration from './enumeration.js';
import { scaleLogin, scaleRefresh } from './scale.js';

export const floors = [nodeHttp, fastify, hmac, argon2];
// Each -pg scenario runs right after its SQLite twin, so a rep's pair sees the same machine.
export const scenarios = [
  mypage,
  mypagePg,
  tokenVerify,
  login,
  refresh,
  refreshPg,
  join,
  loginStorm,
  enumeration,
  scaleLogin,
  scaleRefresh,
];
export const registry = [...floors, ...scenarios];

const OPS = new Set(['>=', '<=']);
for (const u of registry) {
  if (!['http', 'micro'].includes(u.kind)) throw new Error(`${u.name}: bad kind ${u.kind}`);
  if (u.floor && !floors.some((f) => f.name === u.floor)) throw new Error(`${u.name}: unknown floor ${u.floor}`);
  for (const t of [u.target ?? []].flat()) {
    if (!OPS.has(t.op) || !(Number.isFinite(t.ratio) || Number.isFinite(t.value)))
      throw new Error(`${u.name}: bad target ${JSON.stringify(t)}`);
    if (t.of && !scenarios.some((s) => s.name === t.of && s !== u))
      throw new Error(`${u.name}: target of unknown scenario ${t.of}`);
  }
}
if (new Set(registry.map((u) => u.name)).size !== registry.length) throw new Error('duplicate scenario names');
