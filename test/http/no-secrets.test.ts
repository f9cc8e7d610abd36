import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { post } from './bodies.js';

const NEW = 'battery staple horse';

/** What must never appear in a response: the passwords sent, any PHC hash, a password field. */
function expectNoSecrets(responses: LightMyRequestResponse[], hash: string) {
  for (const response of responses) {
    const text = response.body;
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(NEW);
    expect(text).not.toContain(hash);
    expect(text).not.toMatch(/\$argon2/);
    expect(text).not.toMatch(/"password"\s*:/);
  }
}

describe('passwords and hashes never leave the server', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('in no answer of the account and token endpoints, successful or not', async () => {
    const responses: LightMyRequestResponse[] = [];
    const r = async (p: Promise<LightMyRequestResponse>) => {
      const response = await p;
      responses.push(response);
      return response;
    };
    const joined = (
      await r(post(t.app, '/account/join/', { email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD }))
    ).json();
    await r(post(t.app, '/account/join/', { email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD }));
    await r(post(t.app, '/account/join/', { email: 'lee@example.com', password1: PASSWORD, password2: NEW }));
    const { access, refresh } = (
      await r(post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD }))
    ).json();
    await r(post(t.app, '/account/login/', { email: 'kim@example.com', password: NEW }));
    await r(t.app.inject({ url: '/account/user/', headers: bearer(access) }));
    await r(
      t.app.inject({
        method: 'PUT',
        url: '/account/user/',
        headers: bearer(access),
        payload: { first_name: 'Min', password: NEW },
      }),
    );
    await r(
      t.app.inject({ method: 'PATCH', url: '/account/user/', headers: bearer(access), payload: { last_name: 'Kim' } }),
    );
    await r(t.app.inject({ url: '/account/mypage/', headers: bearer(access) }));
    await r(post(t.app, '/api/token/', { email: 'kim@example.com', password: PASSWORD }));
    await r(post(t.app, '/api/token/', { email: 'kim@example.com', password: NEW }));
    await r(post(t.app, '/api/token/sliding/', { email: 'kim@example.com', password: PASSWORD }));
    await r(post(t.app, '/api/token/refresh/', { refresh: joined.refresh }));
    await r(
      post(
        t.app,
        '/account/password/change/',
        { old_password: NEW, new_password1: NEW, new_password2: NEW },
        bearer(access),
      ),
    );
    await r(
      post(
        t.app,
        '/account/password/change/',
        { old_password: PASSWORD, new_password1: NEW, new_password2: NEW },
        bearer(access),
      ),
    );
    await r(post(t.app, '/account/logout/', { refresh }, bearer(access)));
    const hash = (await t.storage.users.findById(1))!.password!;
    // The logout comes after the password change, which ended the session it names: 401.
    expect(responses.map((x) => x.statusCode)).toEqual([
      201, 400, 400, 200, 400, 200, 200, 200, 200, 200, 401, 200, 200, 400, 200, 401,
    ]);
    expectNoSecrets(responses, hash);
  });

  it('not in the claims of any token', async () => {
    const { access, refresh } = await join(t.app);
    const hash = (await t.storage.users.findById(1))!.password!;
    for (const token of [access, refresh]) {
      const payload = Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8');
      expect(payload).not.toContain(PASSWORD);
      expect(payload).not.toContain(hash);
      expect(payload).not.toMatch(/password/i);
    }
  });
});
