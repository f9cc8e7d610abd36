import { startDoorman, createUsers, stopDoorman, PATHS } from './doorman.js';
import { httpMetrics } from '../lib/wrk.js';
import { sampleRss } from '../lib/rss.js';

// The hot authenticated read: JWT verify + user lookup + JSON. Also where the
// server's memory is judged, since it is the steady-state load.
function mypage({ name, postgres, description, target }) {
  return {
    name,
    kind: 'http',
    description,
    floor: 'node-http',
    metric: 'rps',
    target,
    async setup(ctx) {
      ctx.state.d = await startDoorman(ctx, name, {}, { postgres });
      [ctx.state.user] = await createUsers(ctx.state.d, 1, name);
    },
    async run(ctx) {
      const { d, user } = ctx.state;
      // A fresh access token per run: they are short-lived (simplejwt's default
      // is 5 min) and full mode lasts longer than that.
      const { access } = await d.login(user);
      const rss = sampleRss(d.server.pid);
      const r = await ctx
        .wrk({ url: d.url + PATHS.mypage, headers: { Authorization: `Bearer ${access}` } })
        .finally(() => {
          ctx.state.mem = rss.stop();
        });
      return { ...httpMetrics(r), rss_max_mb: ctx.state.mem.rss_max_mb };
    },
    teardown: stopDoorman,
  };
}

export default mypage({
  name: 'mypage',
  postgres: false,
  description: 'GET /account/mypage/ with a valid access token',
  target: [
    { ratio: 0.5, op: '>=' }, // issue 13: >= 0.5x bare node:http with the default configuration
    { metric: 'rss_max_mb', value: 150, op: '<=' },
  ],
});

// The same read with the instance on PostgreSQL: the user's state is cached, so no request
// should reach the database and the rate should match the SQLite one run next to it.
export const mypagePg = mypage({
  name: 'mypage-pg',
  postgres: true,
  description: 'GET /account/mypage/ as mypage, the instance on PostgreSQL',
  target: { ratio: 0.95, op: '>=', of: 'mypage' },
});
