import { describe, expect, it } from 'vitest';
import { createDoormanClient, type ClientOptions } from '../../src/client/index.js';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestInit['credentials'];
}

const USER = { pk: 1, email: 'kim@example.com', first_name: '', last_name: '', gender: null, date_of_birth: null };

/** A fetch that records each request and answers from a table (path → status and body). */
function fakeServer(answers: Record<string, [number, unknown?]>) {
  const sent: Sent[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = String(input);
    sent.push({
      method: init!.method!,
      url,
      headers: { ...(init!.headers as Record<string, string>) },
      body: init!.body ? JSON.parse(String(init!.body)) : undefined,
      credentials: init!.credentials,
    });
    const [status, body] = answers[`${init!.method} ${new URL(url).pathname}`] ?? [
      404,
      { detail: 'Not found.', code: 'not_found' },
    ];
    return status === 204 ? new Response(null, { status }) : Response.json(body, { status });
  };
  return { sent, fetch };
}

const SIGNED_IN: Record<string, [number, unknown?]> = {
  'POST /auth/account/login/': [200, { access: 'A1', refresh: 'R1', user: USER }],
};

function client(answers: Record<string, [number, unknown?]>, options: ClientOptions = {}) {
  const server = fakeServer({ ...SIGNED_IN, ...answers });
  return {
    server,
    client: createDoormanClient({ baseUrl: 'https://auth.example.com/auth/', fetch: server.fetch, ...options }),
  };
}

/** The requests each method sends (paths from docs/http-api.md), without a server. */
describe('@doorman-auth/server/client requests', () => {
  it('sends each call to its path with its method and body; credentials only where the route takes them', async () => {
    const { client: c, server } = client({
      'GET /auth/account/sessions/': [
        200,
        [
          {
            id: 's1',
            created: '2026-12-02T00:00:00Z',
            last_used: null,
            user_agent: 'curl',
            ip: '127.0.0.1',
            current: true,
          },
        ],
      ],
      'DELETE /auth/account/sessions/a%2Fb/': [204],
      'POST /auth/account/password/reset/': [200, { detail: 'Password reset e-mail has been sent.' }],
      'POST /auth/account/password/reset/confirm/': [200, { detail: 'Password has been reset with the new password.' }],
      'POST /auth/account/logout/all/': [200, { detail: 'Successfully logged out.' }],
    });
    await c.login('kim@example.com', 'pw');
    expect(await c.sessions.list()).toEqual([expect.objectContaining({ id: 's1', current: true })]);
    await expect(c.sessions.end('a/b')).resolves.toBeUndefined();
    await c.requestPasswordReset('kim@example.com');
    await c.confirmPasswordReset({ uid: 'u', token: 't', new_password1: 'p', new_password2: 'p' });
    await c.logoutAll();

    expect(server.sent.map((s) => [s.method, s.url, s.body, s.headers.Authorization])).toEqual([
      ['POST', 'https://auth.example.com/auth/account/login/', { email: 'kim@example.com', password: 'pw' }, undefined],
      ['GET', 'https://auth.example.com/auth/account/sessions/', undefined, 'Bearer A1'],
      ['DELETE', 'https://auth.example.com/auth/account/sessions/a%2Fb/', undefined, 'Bearer A1'],
      ['POST', 'https://auth.example.com/auth/account/password/reset/', { email: 'kim@example.com' }, undefined],
      [
        'POST',
        'https://auth.example.com/auth/account/password/reset/confirm/',
        { uid: 'u', token: 't', new_password1: 'p', new_password2: 'p' },
        undefined,
      ],
      ['POST', 'https://auth.example.com/auth/account/logout/all/', undefined, 'Bearer A1'],
    ]);
    expect(server.sent[0]!.headers['Content-Type']).toBe('application/json');
    expect(server.sent.every((s) => s.credentials === undefined && s.headers['X-CSRFToken'] === undefined)).toBe(true);
    // logout-all ended this session too.
    expect(await c.tokens()).toBeNull();
    expect(c.user).toBeNull();
  });

  it('join with mandatory e-mail verification resolves null and holds no session', async () => {
    const { client: c } = client({ 'POST /auth/account/join/': [201, { detail: 'Verification e-mail sent.' }] });
    expect(await c.join({ email: 'kim@example.com', password1: 'p', password2: 'p' })).toBeNull();
    expect(await c.tokens()).toBeNull();
  });

  it('cookie mode: credentials on every request, the CSRF header on unsafe ones only, no token kept or sent', async () => {
    const { client: c, server } = client(
      {
        'GET /auth/account/user/': [200, USER],
        'PATCH /auth/account/user/': [200, USER],
        'DELETE /auth/account/sessions/s1/': [204],
      },
      { mode: 'cookie', readCookie: (name) => (name === 'csrftoken' ? 'CSRF1' : null) },
    );
    await c.login('kim@example.com', 'pw');
    await c.getUser();
    await c.updateUser({ first_name: 'Minji' });
    await c.sessions.end('s1');
    expect(await c.tokens()).toBeNull();
    expect(
      server.sent.map((s) => [s.method, s.credentials, s.headers['X-CSRFToken'], s.headers.Authorization]),
    ).toEqual([
      ['POST', 'include', 'CSRF1', undefined],
      ['GET', 'include', undefined, undefined],
      ['PATCH', 'include', 'CSRF1', undefined],
      ['DELETE', 'include', 'CSRF1', undefined],
    ]);
  });

  it("an accountPath and a CSRF header name of the server's choosing", async () => {
    const { client: c, server } = client(
      { 'POST /auth/users/login/': [200, { access: 'A', refresh: 'R', user: USER }] },
      {
        mode: 'cookie',
        accountPath: '/users',
        csrfHeaderName: 'X-CSRF',
        csrfCookieName: 'csrf',
        readCookie: (name) => (name === 'csrf' ? 'C' : null),
      },
    );
    await c.login('kim@example.com', 'pw');
    expect(server.sent[0]).toMatchObject({
      url: 'https://auth.example.com/auth/users/login/',
      headers: { 'X-CSRF': 'C' },
    });
  });

  it('in a browser the CSRF token is read from document.cookie by default', async () => {
    const { client: c, server } = client({ 'PATCH /auth/account/user/': [200, USER] }, { mode: 'cookie' });
    (globalThis as { document?: unknown }).document = { cookie: 'theme=dark; csrftoken=abc%2Bdef; other=1' };
    try {
      await c.updateUser({ first_name: 'Minji' });
    } finally {
      delete (globalThis as { document?: unknown }).document;
    }
    expect(server.sent[0]!.headers['X-CSRFToken']).toBe('abc+def');
  });

  it('a refresh that fails for a busy or broken server (429, 5xx) keeps the session: only a refusal ends it', async () => {
    const expired = { detail: 'Given token not valid for any token type', code: 'token_not_valid' };
    for (const [status, body] of [
      [503, { detail: 'The server is busy; try again shortly.', code: 'server_busy' }],
      [429, { detail: 'Request was throttled.', code: 'throttled' }],
      [502, null],
    ] as const) {
      let ended = 0;
      const { client: c } = client(
        { 'GET /auth/account/mypage/': [401, expired], 'POST /auth/account/token/refresh/': [status, body] },
        {
          onSessionEnd: () => {
            ended += 1;
          },
        },
      );
      await c.login('kim@example.com', 'pw');
      await expect(c.mypage()).rejects.toMatchObject({ status });
      expect(await c.tokens()).toEqual({ access: 'A1', refresh: 'R1' });
      expect(c.user).not.toBeNull();
      expect(ended).toBe(0);
    }
  });

  it('ending its own session (as listed) is a logout; a password change that hands over a new session keeps it', async () => {
    const listed = [
      { id: 'mine', created: '', last_used: '', user_agent: null, ip: null, current: true },
      { id: 'phone', created: '', last_used: '', user_agent: null, ip: null, current: false },
    ];
    const { client: c } = client({
      'GET /auth/account/sessions/': [200, listed],
      'DELETE /auth/account/sessions/phone/': [204],
      'DELETE /auth/account/sessions/mine/': [204],
      'POST /auth/account/password/change/': [
        200,
        { detail: 'New password has been saved.', access: 'A2', refresh: 'R2' },
      ],
    });
    await c.login('kim@example.com', 'pw');
    await c.changePassword({ old_password: 'pw', new_password1: 'n', new_password2: 'n' });
    expect(await c.tokens()).toEqual({ access: 'A2', refresh: 'R2' });
    await c.sessions.list();
    await c.sessions.end('phone');
    expect(await c.tokens()).toEqual({ access: 'A2', refresh: 'R2' });
    await c.sessions.end('mine');
    expect(await c.tokens()).toBeNull();
    expect(c.user).toBeNull();
  });

  it('cookie mode, signed out: one refresh attempt, then plain 401s until the next sign-in', async () => {
    let ended = 0;
    const anonymous = { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' };
    const { client: c, server } = client(
      {
        'GET /auth/account/mypage/': [401, anonymous],
        'POST /auth/account/token/refresh/': [
          401,
          { detail: 'No valid refresh token found.', code: 'token_not_valid' },
        ],
      },
      {
        mode: 'cookie',
        readCookie: () => null,
        onSessionEnd: () => {
          ended += 1;
        },
      },
    );
    await expect(c.mypage()).rejects.toMatchObject({ status: 401, code: 'token_not_valid' });
    await expect(c.mypage()).rejects.toMatchObject({ status: 401, code: 'not_authenticated' });
    expect(server.sent.filter((s) => s.url.endsWith('/token/refresh/'))).toHaveLength(1);
    expect(ended).toBe(1);
    // A sign-in starts over: an expiry then refreshes again.
    await c.login('kim@example.com', 'pw');
    await expect(c.mypage()).rejects.toMatchObject({ status: 401 });
    expect(server.sent.filter((s) => s.url.endsWith('/token/refresh/'))).toHaveLength(2);
  });
});
