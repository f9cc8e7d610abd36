import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkObjectPermission,
  createDoorman,
  doormanPlugin,
  isAdminUser,
  isAuthenticated,
  isOwner,
  memoryStorage,
  or,
  requirePermission,
  djangoModelPermissions,
  type Doorman,
} from '../../src/index.js';
import { PASSWORD, testConfig } from '../helpers.js';

/** A host app of its own that mounts doorman under /auth and protects its own routes. */
async function hostApp(doorman: Doorman): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(doormanPlugin, { doorman, prefix: '/auth' });
  app.get('/public', async () => ({ ok: true }));
  app.get('/me', { preValidation: requirePermission(isAuthenticated) }, async (request) => ({
    email: request.auth!.user.email,
    claims: Object.keys(request.auth!.claims).sort(),
  }));
  app.get('/staff', { preValidation: requirePermission(isAdminUser) }, async () => ({ staff: true }));
  const doc = { ownerId: 1 };
  app.put('/doc', { preValidation: requirePermission(isAuthenticated) }, async (request) => {
    await checkObjectPermission(
      request,
      or(
        isOwner((d: typeof doc) => d.ownerId),
        djangoModelPermissions('host.doc'),
      ),
      doc,
    );
    return { saved: true };
  });
  app.get('/boom', async () => {
    throw new Error('host bug');
  });
  return app;
}

describe('a host Fastify app with doorman as a plugin', () => {
  let doorman: Doorman;
  let app: FastifyInstance;
  beforeEach(async () => {
    const storage = memoryStorage();
    doorman = createDoorman({ config: testConfig(), storage });
    await doorman.start();
    app = await hostApp(doorman);
  });
  afterEach(async () => {
    await app.close();
    await doorman.close();
  });

  const join = async (email: string) => {
    const r = await app.inject({
      method: 'POST',
      url: '/auth/account/join/',
      payload: { email, password1: PASSWORD, password2: PASSWORD },
    });
    expect(r.statusCode).toBe(201);
    return r.json() as { access: string; user: { pk: number } };
  };
  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it("carries doorman's security headers on doorman's answers, and leaves the host's own routes alone", async () => {
    const joined = await app.inject({
      method: 'POST',
      url: '/auth/account/join/',
      payload: { email: 'headers@example.com', password1: PASSWORD, password2: PASSWORD },
    });
    expect(joined.statusCode).toBe(201);
    for (const r of [joined, await app.inject({ url: '/auth/.well-known/jwks.json' })]) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
    expect(joined.headers['cache-control']).toBe('no-store');
    const own = await app.inject({ url: '/public' });
    expect(own.headers['x-content-type-options']).toBeUndefined();
    expect(own.headers['cache-control']).toBeUndefined();
  });

  it('serves the account and token routes under the host’s prefix, and only there', async () => {
    const { access } = await join('kim@example.com');
    expect((await app.inject({ url: '/auth/account/mypage/', headers: as(access) })).json()).toEqual({
      message: '반갑습니다, kim@example.com님!',
    });
    const login = await app.inject({
      method: 'POST',
      url: '/auth/api/token/',
      payload: { email: 'kim@example.com', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect((await app.inject({ url: '/account/mypage/', headers: as(access) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/auth/account/login/' })).statusCode).toBe(405);
  });

  it('protects the host’s own routes with doorman’s tokens and DRF answers', async () => {
    const { access } = await join('kim@example.com');
    const me = await app.inject({ url: '/me', headers: as(access) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      email: 'kim@example.com',
      claims: expect.arrayContaining(['email', 'exp', 'jti', 'token_type', 'user_id']),
    });

    const anon = await app.inject({ url: '/me' });
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(anon.json()).toEqual({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' });

    const bad = await app.inject({ url: '/me', headers: as(access.slice(0, -2) + 'xx') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json()).toMatchObject({
      code: 'token_not_valid',
      detail: 'Given token not valid for any token type',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid' }],
    });

    const staff = await app.inject({ url: '/staff', headers: as(access) });
    expect(staff.statusCode).toBe(403);
    expect(staff.json()).toEqual({
      detail: 'You do not have permission to perform this action.',
      code: 'permission_denied',
    });
    await doorman.storage.users.update(1, { isStaff: true });
    await doorman.revocation.userChanged({ id: 1, email: 'kim@example.com' });
    expect((await app.inject({ url: '/staff', headers: as(access) })).statusCode).toBe(200);
  });

  it('object-level checks thrown in a host handler get doorman’s bodies; other host errors stay the host’s', async () => {
    const owner = await join('owner@example.com');
    const other = await join('other@example.com');
    expect((await app.inject({ method: 'PUT', url: '/doc', headers: as(owner.access) })).statusCode).toBe(200);
    const denied = await app.inject({ method: 'PUT', url: '/doc', headers: as(other.access) });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({
      detail: 'You do not have permission to perform this action.',
      code: 'permission_denied',
    });

    // A model permission granted later takes effect at once (the cache is dropped on change).
    const group = await doorman.permissions.createGroup('editors');
    await doorman.permissions.grantToGroup(group.id, 'host.change_doc');
    await doorman.permissions.addToGroup(other.user.pk, group.id);
    expect((await app.inject({ method: 'PUT', url: '/doc', headers: as(other.access) })).statusCode).toBe(200);

    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toMatchObject({ statusCode: 500, message: 'host bug' }); // Fastify's default handler, untouched
  });

  it('steady state: model permissions are loaded once per user, then cached', async () => {
    const other = await join('other@example.com');
    let loads = 0;
    const original = doorman.storage.permissions.permissionsOf;
    doorman.storage.permissions.permissionsOf = async (id) => (loads++, original(id));
    for (let i = 0; i < 5; i++) await app.inject({ method: 'PUT', url: '/doc', headers: as(other.access) });
    expect(loads).toBe(1);
  });
});

describe('the plugin beside a host error handler', () => {
  it('leaves the host’s own handler alone (errorHandler: false) and sendAuthError maps doorman’s errors', async () => {
    const { sendAuthError, AuthError } = await import('../../src/index.js');
    const doorman = createDoorman({ config: testConfig(), storage: memoryStorage() });
    const app = Fastify({ logger: false });
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof AuthError) return sendAuthError(reply, error);
      return reply.status(500).send({ host: true });
    });
    await app.register(doormanPlugin, { doorman, errorHandler: false });
    app.get('/x', async (request) => {
      await checkObjectPermission(
        request,
        isOwner(() => 42),
        {},
      );
      return {};
    });
    const r = await app.inject({ url: '/x' });
    expect(r.statusCode).toBe(401);
    expect(r.json()).toEqual({ detail: 'Authentication credentials were not provided.', code: 'not_authenticated' });
    await app.close();
  });
});
