import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, bearer, join, testApp, type TestApp } from '../helpers.js';
import { openApiPath, type OpenApiDocument } from './document.js';

interface Answer {
  method: string;
  route: string | undefined;
  status: number;
  body: string;
}

/** Drives the app and records every answer with the route that gave it. */
async function recorded(t: TestApp) {
  const answers: Answer[] = [];
  t.app.addHook('onSend', async (request, reply, payload) => {
    answers.push({
      method: request.method,
      route: request.routeOptions.url,
      status: reply.statusCode,
      body: typeof payload === 'string' ? payload : '',
    });
    return payload;
  });
  const send = (options: InjectOptions) => t.app.inject(options);
  return { answers, send };
}

/**
 * The document describes what the server answers: every status a route gave in a run through
 * the API (successes and DRF errors alike) is documented for that route, and the body
 * validates against the documented schema (JSON Schema 2020-12, as OpenAPI 3.1).
 */
describe('the OpenAPI document matches the real answers', () => {
  let t: TestApp;
  afterEach(() => t.close());

  for (const [name, config] of [
    ['header mode', {}],
    ['cookie mode', { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh' }],
  ] as const) {
    it(`every answer of a run through the API is documented, body and status (${name})`, async () => {
      t = await testApp({ config });
      const { answers, send } = await recorded(t);
      await runThrough(t, send);

      const document = (await t.app.inject({ url: '/openapi.json' })).json() as OpenApiDocument;
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(ajv);
      const checked = new Set<string>();
      for (const answer of answers) {
        if (!answer.route || answer.route === '/openapi.json' || answer.status === 405) continue;
        const where = `${answer.method} ${answer.route} → ${answer.status}`;
        const operation = document.paths[openApiPath(answer.route)]?.[answer.method.toLowerCase()];
        expect(operation, where).toBeDefined();
        const documented = operation!.responses[String(answer.status)];
        expect(documented, `${where} is not documented`).toBeDefined();
        checked.add(where);
        if (answer.status === 204) continue;
        const schema = documented!.content!['application/json']!.schema as object;
        const valid = ajv.validate(schema, JSON.parse(answer.body));
        expect(valid, `${where}: ${answer.body} ${ajv.errorsText()}`).toBe(true);
      }
      expect(checked.size).toBeGreaterThan(40);
      expect(checked).toContain('POST /account/login/ → 429');
      if (name === 'cookie mode')
        expect([...checked]).toEqual(
          expect.arrayContaining(['PATCH /account/user/ → 403', 'POST /account/token/refresh/ → 403']),
        );
    });
  }
});

/** Successes and failures of every public endpoint. */
async function runThrough(
  t: TestApp,
  send: (
    o: InjectOptions,
  ) => Promise<{ json(): any; statusCode: number; cookies: Array<{ name: string; value: string }> }>,
) {
  const post = (url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    send({ method: 'POST', url, payload: payload as never, headers });
  await send({ url: '/healthz' });
  await send({ url: '/.well-known/jwks.json' });
  await send({ url: '/.well-known/openid-configuration' });

  await post('/account/join/', { email: 'kim@example.com', password1: 'Qz8#vb', password2: 'Qz8#vb' });
  await post('/account/join/', { email: 'not-an-email' });
  await send({
    method: 'POST',
    url: '/account/join/',
    payload: '{"email":',
    headers: { 'content-type': 'application/json' },
  });
  await send({ method: 'POST', url: '/account/join/', payload: 'hello', headers: { 'content-type': 'text/plain' } });
  await send({
    method: 'POST',
    url: '/account/join/',
    payload: JSON.stringify({ email: 'x'.repeat(2_000_000) }),
    headers: { 'content-type': 'application/json' },
  });
  const kim = await join(t.app, 'kim@example.com');
  const staff = await join(t.app, 'staff@example.com');
  await t.storage.users.update(staff.user.pk, { isStaff: true });
  await t.doorman.revocation.userChanged({ id: staff.user.pk, email: 'staff@example.com' });

  await post('/account/login/', { email: 'kim@example.com', password: 'wrong password 1' });
  const login = await post('/account/login/', { email: 'kim@example.com', password: PASSWORD });
  const { access, refresh } = login.json() as { access: string; refresh: string };
  if (t.doorman.config.authCookie) {
    // Cookie mode: a cookie-authenticated change and a cookie refresh without the CSRF header (403).
    const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]));
    await send({ method: 'PATCH', url: '/account/user/', cookies, payload: { first_name: 'X' } });
    await send({ method: 'POST', url: '/account/token/refresh/', cookies, payload: {} });
  }
  await send({ url: '/account/mypage/' });
  await send({ url: '/account/mypage/', headers: bearer('garbage') });
  await send({ url: '/account/mypage/', headers: bearer(access) });
  await send({ url: '/account/user/', headers: bearer(access) });
  await send({
    method: 'PATCH',
    url: '/account/user/',
    headers: bearer(access),
    payload: { first_name: 'Minji', date_of_birth: 'yesterday' },
  });
  await send({
    method: 'PUT',
    url: '/account/user/',
    headers: bearer(access),
    payload: { first_name: 'Minji', gender: 'female' },
  });
  await post(
    '/account/password/change/',
    { old_password: 'nope nope 1', new_password1: 'battery staple 7', new_password2: 'battery staple 7' },
    bearer(access),
  );
  await post('/account/token/verify/', { token: access });
  await post('/account/token/verify/', { token: 'garbage' });
  await post('/account/token/refresh/', {});
  await post('/account/token/refresh/', { refresh: 'garbage' });
  const refreshed = await post('/account/token/refresh/', { refresh });
  await post('/account/token/refresh/', { refresh });
  await post('/account/token/verify/', { token: refresh });
  await post('/account/logout/', {});
  await post('/account/logout/', { refresh: refreshed.json().refresh }, bearer(refreshed.json().access));
  await post(
    '/account/password/change/',
    { old_password: PASSWORD, new_password1: 'battery staple 7', new_password2: 'battery staple 7' },
    bearer(kim.access),
  );

  await post('/api/token/', { email: 'kim@example.com', password: 'wrong password 1' });
  const pair = await post('/api/token/', { email: 'kim@example.com', password: 'battery staple 7' });
  await post('/api/token/refresh/', { refresh: 'garbage' });
  const apiRefreshed = await post('/api/token/refresh/', { refresh: pair.json().refresh });
  await post('/api/token/verify/', { token: apiRefreshed.json().access });
  await post('/api/token/verify/', {});
  await post('/api/token/blacklist/', { refresh: apiRefreshed.json().refresh });
  await post('/api/token/blacklist/', { refresh: apiRefreshed.json().refresh });
  const sliding = await post('/api/token/sliding/', { email: 'kim@example.com', password: 'battery staple 7' });
  await post('/api/token/sliding/', { email: 'kim@example.com', password: 'no' });
  await post('/api/token/sliding/refresh/', { token: sliding.json().token });
  await post('/api/token/sliding/refresh/', { token: 'garbage' });

  const h = bearer(staff.access);
  await send({ url: '/admin/groups/' });
  await send({ url: '/admin/groups/', headers: bearer(kim.access) });
  const group = (await post('/admin/groups/', { name: 'editors' }, h)).json() as { id: number };
  await post('/admin/groups/', { name: 'editors' }, h);
  await send({ url: '/admin/groups/', headers: h });
  await send({ url: `/admin/groups/${group.id}/`, headers: h });
  await send({ url: '/admin/groups/999/', headers: h });
  await post(`/admin/groups/${group.id}/permissions/`, { permission: 'board.change_post' }, h);
  await post(`/admin/groups/${group.id}/permissions/`, { permission: 'DROP TABLE' }, h);
  await send({ method: 'DELETE', url: `/admin/groups/${group.id}/permissions/board.change_post/`, headers: h });
  await post(`/admin/groups/${group.id}/members/`, { user: kim.user.pk }, h);
  await send({ method: 'DELETE', url: `/admin/groups/${group.id}/members/${kim.user.pk}/`, headers: h });
  await post(`/admin/users/${kim.user.pk}/permissions/`, { permission: 'board.add_post' }, h);
  await send({ url: `/admin/users/${kim.user.pk}/permissions/`, headers: h });
  await send({ url: '/admin/users/999/permissions/', headers: h });
  await send({ method: 'DELETE', url: `/admin/users/${kim.user.pk}/permissions/board.add_post/`, headers: h });
  await send({ method: 'DELETE', url: `/admin/groups/${group.id}/`, headers: h });
  await send({ url: '/account/login/' });

  const other = (await post('/account/login/', { email: 'kim@example.com', password: 'battery staple 7' })).json() as {
    access: string;
  };
  const sessions = await send({ url: '/account/sessions/', headers: bearer(other.access) });
  await send({ url: '/account/sessions/' });
  await send({ method: 'DELETE', url: '/account/sessions/nope/', headers: bearer(other.access) });
  const phone = (sessions.json() as Array<{ id: string; current: boolean }>).find((s) => !s.current)!;
  await send({ method: 'DELETE', url: `/account/sessions/${phone.id}/`, headers: bearer(other.access) });
  await send({ method: 'PATCH', url: `/admin/users/${kim.user.pk}/`, headers: h, payload: { is_staff: true } });
  await post('/account/logout/all/', undefined, bearer(other.access));
  await post('/account/logout/all/');
  // Past the login throttle: 429 with Retry-After.
  for (let i = 0; i < 30; i++) {
    if ((await post('/account/login/', { email: 'kim@example.com', password: `wrong ${i}` })).statusCode === 429) break;
  }
}
