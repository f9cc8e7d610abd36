import { fileURLToPath } from 'node:url';
import { MYPAGE_PATH } from './payload.js';
import { httpMetrics } from '../lib/wrk.js';

// Shared shape of the HTTP floors: start the server script once, load it with
// the same wrk settings and request (path + Authorization header) the doorman
// scenarios use.
export function httpFloor(name, script, description) {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return {
    name,
    kind: 'http',
    role: 'floor',
    description,
    metric: 'rps',
    async setup(ctx) {
      ctx.state.server = await ctx.startServer({
        name,
        args: [path],
        env: (port, host) => ({ PORT: String(port), HOST: host, NODE_ENV: 'production' }),
        readyPath: MYPAGE_PATH,
      });
    },
    async run(ctx) {
      const r = await ctx.wrk({
        url: ctx.state.server.url + MYPAGE_PATH,
        // a token-sized header so request bytes match the doorman scenario
        headers: { Authorization: `Bearer ${'x'.repeat(200)}` },
      });
      return httpMetrics(r);
    },
    async teardown(ctx) {
      await ctx.state.server?.stop();
    },
  };
}
