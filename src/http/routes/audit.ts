import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { invalidFields } from '../../errors/auth-error.js';
import { isAdminUser } from '../../permissions/builtin.js';
import { djangoModelPermissions } from '../../permissions/model.js';
import type { AuditQuery } from '../../storage/ports.js';
import { requirePermission } from '../permissions.js';
import { AuditListResponse, AuditQuerystring, replies } from '../schemas.js';

const list = {
  // Django's admin: staff, and the model's view permission (a superuser has every permission).
  preValidation: requirePermission(isAdminUser, djangoModelPermissions('auth.auditevent', { viewOnRead: true })),
  schema: {
    tags: ['admin'],
    security: [{ bearerAuth: [] }],
    summary: 'Security events, newest first (staff with auth.view_auditevent)',
    querystring: AuditQuerystring,
    response: replies({ 200: AuditListResponse }, 'auth', 'permission'),
  },
};

function time(field: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw invalidFields({ [field]: ['Enter a valid date/time.'] });
  return at;
}

/** The audit log for staff: GET /admin/audit/?user=&kind=&since=&until=&limit=&offset= */
export const auditRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  app.get('/audit/', list, async (request) => {
    const q = request.query;
    const limit = q.limit === undefined ? 50 : Number(q.limit);
    const offset = q.offset === undefined ? 0 : Number(q.offset);
    const query: AuditQuery = { limit, offset };
    if (q.user !== undefined) {
      if (/^[1-9][0-9]{0,11}$/.test(q.user)) query.userId = Number(q.user);
      else query.email = q.user;
    }
    if (q.kind !== undefined) query.kind = q.kind;
    const since = time('since', q.since);
    const until = time('until', q.until);
    if (since) query.since = since;
    if (until) query.until = until;
    const { count, results } = await doorman.audit.list(query);
    const page = (at: number) => {
      const params = new URLSearchParams(
        Object.entries(q)
          .filter(([k, v]) => v !== undefined && k !== 'offset' && k !== 'limit')
          .map(([k, v]): [string, string] => [k, String(v)]),
      );
      params.set('limit', String(limit));
      params.set('offset', String(at));
      return `${request.url.split('?')[0]}?${params}`;
    };
    return {
      count,
      next: offset + limit < count ? page(offset + limit) : null,
      previous: offset > 0 ? page(Math.max(0, offset - limit)) : null,
      results: results.map((e) => ({
        id: e.id,
        time: e.at.toISOString(),
        kind: e.kind,
        user: e.userId,
        email: e.email,
        ip: e.ip,
        user_agent: e.userAgent,
        detail: e.detail,
      })),
    };
  });
};
