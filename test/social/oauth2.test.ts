/**
 * GitHub- and Naver-style OAuth 2 (no id_token): a local stand-in for their token endpoint and
 * user-info APIs on 127.0.0.1:0, answering in their documented shapes.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { join, testApp, type TestApp } from '../helpers.js';

interface Person {
  id: number | string;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

const codes = new Map<string, { person: Person; verifier: string | null; redirectUri: string | null }>();
const tokens = new Map<string, Person>();
const tokenRequests: Array<Record<string, string>> = [];
let server: Server;
let base: string;

async function form(request: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of request) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const url = new URL(request.url!, 'http://stub');
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method === 'POST' && url.pathname === '/token') {
      const params = await form(request);
      tokenRequests.push(params);
      const issued = codes.get(params.code ?? '');
      codes.delete(params.code ?? '');
      if (!issued || params.client_id !== 'gh-client' || params.client_secret !== 'gh-secret')
        return send(400, { error: 'invalid_grant' });
      if (issued.redirectUri !== null && params.redirect_uri !== issued.redirectUri)
        return send(400, { error: 'invalid_grant' });
      const token = `tok-${Math.random().toString(36).slice(2)}`;
      tokens.set(token, issued.person);
      return send(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
    }
    const person = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /i, ''));
    if (!person) return send(401, { message: 'Bad credentials' });
    if (url.pathname === '/user')
      return send(200, { id: person.id, login: 'octo', email: person.emails[0]?.email ?? null });
    if (url.pathname === '/user/emails')
      return send(
        200,
        person.emails.map((e) => ({ ...e, visibility: null })),
      );
    if (url.pathname === '/v1/nid/me')
      return send(200, {
        resultcode: '00',
        message: 'success',
        response: { id: String(person.id), email: person.emails[0]?.email },
      });
    send(404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let t: TestApp;
beforeEach(async () => {
  const endpoints = {
    authorizationEndpoint: `${base}/authorize`,
    tokenEndpoint: `${base}/token`,
    clientId: 'gh-client',
    clientSecret: 'gh-secret',
  };
  t = await testApp({
    socialClient: { allowInsecureRequests: true },
    config: {
      socialProviders: JSON.stringify({
        github: {
          ...endpoints,
          userinfoEndpoint: `${base}/user`,
          emailsEndpoint: `${base}/user/emails`,
          acceptAccessToken: true,
        },
        naver: { ...endpoints, userinfoEndpoint: `${base}/v1/nid/me` },
      }),
      socialRedirectUrl: 'http://front.test/',
      socialRedirectUris: ['http://spa.test/cb'],
      authCookie: 'doorman-auth',
    },
  });
  tokenRequests.length = 0;
});
afterEach(() => t.close());

function codeFor(person: Person, redirectUri: string | null = 'http://spa.test/cb'): string {
  const code = `code-${Math.random().toString(36).slice(2)}`;
  codes.set(code, { person, verifier: null, redirectUri });
  return code;
}

describe('GitHub (OAuth 2 + /user and /user/emails)', () => {
  it('SPA code flow: the subject is the numeric id, the e-mail the primary verified address', async () => {
    const person = { id: 583231, emails: [{ email: 'octo@example.com', primary: true, verified: true }] };
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/github/',
      payload: { code: codeFor(person) },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe('octo@example.com');
    expect(await t.storage.socialAccounts.find('github', '583231')).toMatchObject({ email: 'octo@example.com' });
    expect(tokenRequests[0]).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: 'http://spa.test/cb',
      client_id: 'gh-client',
    });
  });

  it('a replayed code is refused', async () => {
    const code = codeFor({ id: 1, emails: [{ email: 'one@example.com', primary: true, verified: true }] });
    expect((await t.app.inject({ method: 'POST', url: '/account/social/github/', payload: { code } })).statusCode).toBe(
      200,
    );
    const again = await t.app.inject({ method: 'POST', url: '/account/social/github/', payload: { code } });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('social_login_failed');
  });

  it("an unverified primary address that matches an existing user is refused (GitHub's verified flag decides)", async () => {
    const victim = await join(t.app, 'victim@example.com');
    const person = { id: 666, emails: [{ email: 'victim@example.com', primary: true, verified: false }] };
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/github/',
      payload: { code: codeFor(person) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('social_email_unverified');
    expect(await t.storage.socialAccounts.listForUser(victim.user.pk)).toEqual([]);
  });

  it('access_token (acceptAccessToken on): the person behind the token', async () => {
    tokens.set('direct-token', { id: 42, emails: [{ email: 'direct@example.com', primary: true, verified: true }] });
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/github/',
      payload: { access_token: 'direct-token' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe('direct@example.com');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/account/social/github/',
      payload: { access_token: 'not-a-token' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('social_login_failed');
  });

  it('redirect flow: 302 to the authorization endpoint, then the callback signs in', async () => {
    const begin = await t.app.inject({ method: 'GET', url: '/account/social/github/' });
    expect(begin.statusCode).toBe(302);
    const url = new URL(begin.headers.location as string);
    expect(url.origin + url.pathname).toBe(`${base}/authorize`);
    expect(url.searchParams.get('scope')).toBe('read:user user:email');
    expect(url.searchParams.get('nonce')).toBeNull();
    const pending = ([] as string[])
      .concat(begin.headers['set-cookie'] as string[])
      .find((l) => l.startsWith('doorman_social='))!
      .split(';')[0]!
      .slice('doorman_social='.length);
    const code = codeFor(
      { id: 7, emails: [{ email: 'seven@example.com', primary: true, verified: true }] },
      url.searchParams.get('redirect_uri'),
    );
    const done = await t.app.inject({
      method: 'GET',
      url: `/account/social/github/callback/?code=${code}&state=${url.searchParams.get('state')}`,
      cookies: { doorman_social: pending },
    });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('http://front.test/');
    expect(tokenRequests[0]?.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('Naver (OAuth 2 + /v1/nid/me)', () => {
  it('signs in a new person; the e-mail is never taken as verified', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/naver/',
      payload: {
        code: codeFor({ id: 'naver-abc', emails: [{ email: 'hong@example.com', primary: true, verified: true }] }),
      },
    });
    expect(response.statusCode).toBe(200);
    expect(await t.storage.socialAccounts.find('naver', 'naver-abc')).toMatchObject({ email: 'hong@example.com' });

    await join(t.app, 'kim@example.com');
    const takeover = await t.app.inject({
      method: 'POST',
      url: '/account/social/naver/',
      payload: {
        code: codeFor({ id: 'naver-evil', emails: [{ email: 'kim@example.com', primary: true, verified: true }] }),
      },
    });
    expect(takeover.statusCode).toBe(400);
    expect(takeover.json().code).toBe('social_email_unverified');
  });

  it('access_token is refused unless the provider opts in', async () => {
    tokens.set('naver-token', { id: 'n1', emails: [] });
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/naver/',
      payload: { access_token: 'naver-token' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      detail: 'This provider does not take access_token here: send code (or id_token).',
      code: 'social_login_failed',
    });
  });

  it('id_token is refused: Naver has none', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/account/social/naver/',
      payload: { id_token: 'a.b.c' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toBe('This provider has no id_token: send code (or access_token).');
  });
});
