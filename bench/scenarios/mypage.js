import { startDoorman, createUsers, stopDoorman, PATHS } from './doorman.js';
import { httpMetrics } from '../lib/wrk.js';
import { sampleRss } from '../lib/rss.js';

// The hot authenticated read: JWT verify + user lookup + JSON. Also where the
// server's memory is judged, since it is the steady-state load.
export default {
  name: 'mypage',
  kind: 'http',
  description: 'GET /account/mypage/ with a valid access token',
  floor: 'node-http',
  metric: 'rps',
  target: [
    { ratio: 0.45, op: '>=' },
    { metric: 'rss_max_mb', value: 150, op: '<=' },
  ],
  async setup(ctx) {
    ctx.state.d = await startDoorman(ctx, 'mypage');
    [ctx.state.user] = await createUsers(ctx.state.d, 1, 'mypage');
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
