import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditKind } from '../audit/kinds.js';
import type { Doorman } from '../core.js';
import { ThrottledError, type LimitReached } from '../throttle/throttled.js';

/**
 * Which audit event a route's answer is: `ok` for 2xx/3xx, `failed` for 400-499 other than 429;
 * 5xx is not recorded. A 429 is recorded (on any doorman route) only when it is the refusal
 * that reached a limit: `lockout` or `throttled`, once per window (throttle/throttled.ts).
 */
export interface AuditSpec {
  ok?: AuditKind;
  failed?: AuditKind;
  /** Record the body's `email` (the address tried; never a password or token). */
  email?: boolean;
  /** A failure whose error message is this is recorded as `reuse` (a spent refresh token presented again). */
  reuse?: { message: string; kind: AuditKind };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: AuditSpec;
  }
}

const subjects = new WeakMap<FastifyRequest, number>();
const reused = new WeakSet<FastifyRequest>();
const reached = new WeakMap<FastifyRequest, LimitReached>();

/** The user a route's answer is about, when the request carried no credentials (login, join, reset). */
export function auditSubject(request: FastifyRequest, userId: number): void {
  subjects.set(request, userId);
}

function bodyEmail(request: FastifyRequest): string | null {
  const email = (request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.slice(0, 254) : null;
}

/**
 * Records each audited route's outcome after the answer is sent (onResponse), into the
 * batched audit log: the request path never waits for it. Only the route's kind, the user,
 * the address tried, the client address and the user agent are kept, never a body field
 * that is a secret.
 */
export function installAudit(app: FastifyInstance, doorman: Doorman): void {
  app.addHook('onError', async (request, _reply, error) => {
    if (error instanceof ThrottledError && error.reached) reached.set(request, error.reached);
    const reuse = request.routeOptions.config?.audit?.reuse;
    if (reuse && error.message === reuse.message) reused.add(request);
  });
  // Callback style: every answer of the plugin's routes passes here, and an async hook costs a
  // promise and a microtask hop (issue 13). record() only queues, so nothing here waits.
  app.addHook('onResponse', (request, reply, done) => {
    recordOutcome(doorman, request, reply);
    done();
  });
}

function recordOutcome(doorman: Doorman, request: FastifyRequest, reply: FastifyReply): void {
  const limit = reached.get(request);
  if (limit) return recordLimit(doorman, request, limit);
  const spec = request.routeOptions.config?.audit;
  if (!spec) return;
  const status = reply.statusCode;
  let kind: AuditKind | undefined;
  if (status < 400) kind = spec.ok;
  else if (status < 500 && status !== 429) kind = spec.reuse && reused.has(request) ? spec.reuse.kind : spec.failed;
  if (!kind) return;
  doorman.audit.record({
    kind,
    userId: subjects.get(request) ?? request.auth?.userId ?? null,
    email: spec.email ? bodyEmail(request) : null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    detail: null,
  });
}

/** `lockout` or `throttled`: which limit, its rate and the route, e.g. `login-pair 5/900s POST /account/login/`. */
function recordLimit(doorman: Doorman, request: FastifyRequest, limit: LimitReached): void {
  doorman.audit.record({
    kind: limit.kind,
    userId: request.auth?.userId ?? null,
    email: limit.account ?? null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    detail: `${limit.limit} ${limit.rate} ${request.method} ${request.url.split('?')[0]}`,
  });
}

/** Every successful change through the admin API, with its method and route (not its body). */
export function installAdminAudit(app: FastifyInstance, doorman: Doorman): void {
  app.addHook('onResponse', (request, reply, done) => {
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && reply.statusCode < 400)
      doorman.audit.record({
        kind: 'admin_action',
        userId: request.auth?.userId ?? null,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        detail: `${method} ${request.url.split('?')[0]} ${reply.statusCode}`,
      });
    done();
  });
}
