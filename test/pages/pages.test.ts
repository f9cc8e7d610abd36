import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../src/pages/layout.js';
import { prefersHtml } from '../../src/pages/negotiate.js';
import { pickLanguage } from '../../src/pages/i18n.js';
import { html } from '../../src/pages/escape.js';
import { bearer, join, PASSWORD, testApp, type TestApp } from '../helpers.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

/** Every page path, and the API paths under them (GET-able or not). */
const PATHS = [
  '/account/join/',
  '/account/login/',
  '/account/logout/',
  '/account/mypage/',
  '/account/user/',
  '/account/password/change/',
  '/account/password/reset/',
  '/account/password/reset/confirm/',
  '/account/sessions/',
  '/account/token/refresh/',
  '/account/token/verify/',
  '/api/token/',
  '/api/token/refresh/',
  '/admin/',
  '/admin/groups/',
  '/admin/groups/1/',
  '/admin/users/',
  '/admin/users/1/',
  '/admin/users/new/',
  '/admin/users/1/permissions/',
  '/admin/audit/',
  '/account/password/reset/confirm/MQ/abc/',
  '/.well-known/jwks.json',
  '/account/mypage',
  '/nothing/',
];

describe('pages: JSON clients are unaffected', () => {
  let on: TestApp;
  let off: TestApp;
  beforeAll(async () => {
    on = await testApp();
    off = await testApp({ config: { pages: false } });
  });
  afterAll(async () => {
    await on.close();
    await off.close();
  });

  it('answers every GET and HEAD that does not prefer HTML exactly as with DOORMAN_PAGES=false', async () => {
    const accepts = [
      undefined,
      '*/*',
      'application/json',
      'application/json, text/html',
      'text/html;q=0.5, application/json',
      'text/*',
    ];
    for (const url of PATHS) {
      for (const accept of accepts) {
        for (const method of ['GET', 'HEAD'] as const) {
          const request = { method, url, headers: accept ? { accept } : {} };
          const [a, b] = [await on.app.inject(request), await off.app.inject(request)];
          const pick = (r: typeof a) => ({
            status: r.statusCode,
            type: r.headers['content-type'],
            allow: r.headers.allow,
            auth: r.headers['www-authenticate'],
            cookie: r.headers['set-cookie'],
            body: r.body,
          });
          expect(pick(a), `${method} ${url} Accept: ${accept}`).toEqual(pick(b));
        }
      }
    }
  });

  it('a JSON client with a token still gets the greeting as JSON', async () => {
    const kim = await join(on.app);
    const answer = await on.app.inject({
      url: '/account/mypage/',
      headers: { ...bearer(kim.access), accept: 'application/json' },
    });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.json()).toEqual({ message: '반갑습니다, kim@example.com님!' });
  });

  it('login and join set no cookie without the pages header (header mode stays header mode)', async () => {
    const joined = await on.app.inject({
      method: 'POST',
      url: '/account/join/',
      payload: { email: 'lee@example.com', password1: PASSWORD, password2: PASSWORD },
    });
    expect(joined.statusCode).toBe(201);
    expect(joined.headers['set-cookie']).toBeUndefined();
    const login = await on.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: { accept: BROWSER },
      payload: { email: 'lee@example.com', password: PASSWORD },
    });
    expect(login.headers['set-cookie']).toBeUndefined();
    expect(Object.keys(login.json()).sort()).toEqual(['access', 'refresh', 'user']);
  });
});

describe('pages: HTML for browsers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  const page = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ url, headers: { accept: BROWSER, ...headers } });

  it('serves every page with the strict CSP, no framing, no caching, and the script and stylesheet as files', async () => {
    for (const url of [
      '/account/join/',
      '/account/login/',
      '/account/logout/',
      '/account/mypage/',
      '/account/password/change/',
      '/account/password/reset/',
      '/account/password/reset/confirm/',
      '/account/password/reset/confirm/MQ/abc-123/',
      '/account/sessions/',
      '/admin/',
      '/admin/users/new/',
      '/admin/users/7/',
      '/admin/groups/',
      '/admin/groups/3/',
      '/admin/audit/',
    ]) {
      const answer = await page(url);
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(answer.headers['content-security-policy']).toBe(PAGE_CSP);
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      // No inline script or style: the one script is a file; the JSON data block never runs.
      expect(answer.body).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")/);
      expect(answer.body).not.toMatch(/\sstyle=|<style/);
      expect(answer.body).toContain('<script type="module" src="/_doorman/pages/browser/main.js"></script>');
    }
    expect(PAGE_CSP).toContain("default-src 'self'");
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toContain('unsafe-inline');
    const css = await t.app.inject({ url: '/_doorman/pages.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('labels every field and ties its error slot to it', async () => {
    const body = (await page('/account/join/')).body;
    const inputs = [...body.matchAll(/<(input|select) id="([^"]+)"[^>]*>/g)];
    expect(inputs.length).toBe(7);
    for (const [tag, , id] of inputs) {
      expect(body).toContain(`<label for="${id}">`);
      expect(tag).toContain(`aria-describedby="${id}-error"`);
      expect(body).toContain(`<p class="error" id="${id}-error"></p>`);
    }
    expect(body).toContain('<button type="submit">가입하기</button>');
  });

  it('speaks Korean or English by ?lang=, then the cookie it sets, then Accept-Language', async () => {
    expect((await page('/account/login/')).body).toContain('<html lang="ko">');
    expect((await page('/account/login/', { 'accept-language': 'en-US,en;q=0.9,ko;q=0.5' })).body).toContain(
      '<h1>Log in</h1>',
    );
    const switched = await page('/account/login/?lang=en', { 'accept-language': 'ko' });
    expect(switched.body).toContain('<html lang="en">');
    expect(switched.headers['set-cookie']).toMatch(
      /^doorman_lang=en; Max-Age=31536000; Path=\/; Secure; SameSite=Lax$/,
    );
    expect((await page('/account/login/', { 'accept-language': 'ko', cookie: 'doorman_lang=en' })).body).toContain(
      '<h1>Log in</h1>',
    );
    expect((await page('/account/login/?lang=xx', { cookie: 'doorman_lang=<script>' })).body).toContain(
      '<html lang="ko">',
    );
    expect(pickLanguage(undefined, undefined, 'fr, en;q=0.8, ko;q=0.9')).toBe('ko');
    expect(pickLanguage(undefined, undefined, 'ko;q=0, en')).toBe('en');
  });

  it('escapes what comes from the request', async () => {
    const answer = await page('/account/login/%22%3E%3Cscript%3Ealert(1)%3C/script%3E');
    expect(answer.statusCode).toBe(404);
    // The path goes into the language links: escaped.
    const odd = await page('/admin/users/"><script>x/');
    expect(odd.statusCode).toBe(200);
    expect(odd.body).not.toContain('"><script>');
    expect(odd.body).toMatch(/href="\/admin\/users\/(&quot;&gt;&lt;script&gt;|%22%3E%3Cscript%3E)x\/\?lang=en"/);
    expect(html`<p title="${'"><img src=x onerror=alert(1)>'}">${"<b>&'"}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&lt;b&gt;&amp;&#39;</p>',
    );
  });

  it('negotiates as DRF: HTML only when the browser prefers it', () => {
    expect(prefersHtml(BROWSER)).toBe(true);
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
    expect(prefersHtml('application/json')).toBe(false);
    expect(prefersHtml('application/json, text/html')).toBe(false);
    expect(prefersHtml('text/html, application/json')).toBe(true);
    expect(prefersHtml('text/html;q=0.5, application/json')).toBe(false);
    expect(prefersHtml('text/html;q=0')).toBe(false);
  });

  it('serves only the page script, its modules and the stylesheet from dist/', async () => {
    for (const url of [
      '/_doorman/../package.json',
      '/_doorman/client/../../package.json',
      '/_doorman/pages/layout.js',
      '/_doorman/http/pages.js',
      '/_doorman/client/%2e%2e%2fcore.js',
      '/_doorman/pages/browser/main.ts',
    ]) {
      const answer = await t.app.inject({ url });
      expect(answer.statusCode, url).toBe(404);
    }
  });

  it('DOORMAN_PAGES=false: no pages, no static files', async () => {
    const off = await testApp({ config: { pages: false } });
    try {
      expect((await off.app.inject({ url: '/account/login/', headers: { accept: BROWSER } })).statusCode).toBe(405);
      expect((await off.app.inject({ url: '/admin/', headers: { accept: BROWSER } })).statusCode).toBe(404);
      expect((await off.app.inject({ url: '/_doorman/pages.css' })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('pages: their own cookie mode (X-Doorman-Pages: cookie)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  const PAGES = { 'x-doorman-pages': 'cookie', 'content-type': 'application/json' };
  const cookieHeader = (setCookie: string | string[] | undefined) =>
    [setCookie ?? []]
      .flat()
      .map((c) => c.split(';')[0])
      .filter((c) => c !== undefined && !c.endsWith('='))
      .join('; ');

  it('sets HttpOnly SameSite=Strict token cookies and a CSRF cookie; unsafe requests need the CSRF header', async () => {
    await join(t.app, 'kim@example.com');
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: PAGES,
      payload: { email: 'kim@example.com', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    const set = [login.headers['set-cookie']].flat() as string[];
    expect(set.find((c) => c.startsWith('doorman_page='))).toMatch(/HttpOnly; Secure; SameSite=Strict/);
    expect(set.filter((c) => c.startsWith('doorman_page_refresh=')).map((c) => /Path=([^;]+)/.exec(c)![1])).toEqual([
      '/account/token/refresh',
      '/account/logout',
    ]);
    const csrf = set.find((c) => c.startsWith('doorman_page_csrf='))!;
    expect(csrf).not.toMatch(/HttpOnly/);
    const cookie = cookieHeader(set);
    const csrfToken = /^doorman_page_csrf=([^;]+)/.exec(csrf)![1]!;

    // The page cookie counts only with the pages header.
    expect((await t.app.inject({ url: '/account/mypage/', headers: { cookie } })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ url: '/account/mypage/', headers: { cookie, 'x-doorman-pages': 'cookie' } })).json(),
    ).toEqual({ message: '반갑습니다, kim@example.com님!' });
    const change = { old_password: PASSWORD, new_password1: 'another horse 77', new_password2: 'another horse 77' };
    const forged = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      headers: { ...PAGES, cookie },
      payload: change,
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing.', code: 'csrf_failed' });
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      headers: { ...PAGES, cookie, 'x-csrftoken': 'x'.repeat(64) },
      payload: change,
    });
    expect(wrong.json().code).toBe('csrf_failed');
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      headers: { ...PAGES, cookie },
      payload: {},
    });
    expect(refresh.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing.', code: 'csrf_failed' });
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/account/token/refresh/',
      headers: { ...PAGES, cookie, 'x-csrftoken': csrfToken },
      payload: {},
    });
    expect(refreshed.statusCode).toBe(200);
    // The refresh token stays in its HttpOnly cookie.
    expect(refreshed.json().refresh).toBeUndefined();
    const ok = await t.app.inject({
      method: 'POST',
      url: '/account/password/change/',
      headers: { ...PAGES, cookie: cookieHeader(refreshed.headers['set-cookie']), 'x-csrftoken': csrfToken },
      payload: change,
    });
    expect(ok.statusCode).toBe(200);
  });

  it('the admin API takes the page cookies too, with CSRF on every change', async () => {
    await t.doorman.accounts.createUser({
      email: 'boss@example.com',
      password: PASSWORD,
      isStaff: true,
      isSuperuser: true,
    });
    const kim = await join(t.app, 'park@example.com');
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: PAGES,
      payload: { email: 'boss@example.com', password: PASSWORD },
    });
    const cookie = cookieHeader(login.headers['set-cookie']);
    const csrfToken = /doorman_page_csrf=([^;]+)/.exec(cookie)![1]!;
    expect(
      (
        await t.app.inject({ url: '/admin/users/?search=park', headers: { cookie, 'x-doorman-pages': 'cookie' } })
      ).json().count,
    ).toBe(1);
    const forged = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${kim.user.pk}/`,
      headers: { ...PAGES, cookie },
      payload: { is_active: false },
    });
    expect(forged.json()).toEqual({ detail: 'CSRF Failed: CSRF token missing.', code: 'csrf_failed' });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(200);
    const done = await t.app.inject({
      method: 'PATCH',
      url: `/admin/users/${kim.user.pk}/`,
      headers: { ...PAGES, cookie, 'x-csrftoken': csrfToken },
      payload: { is_active: false },
    });
    expect(done.json()).toMatchObject({ is_active: false });
    expect((await t.app.inject({ url: '/account/mypage/', headers: bearer(kim.access) })).statusCode).toBe(401);
  });

  it("login in the pages' mode keeps the refresh token out of the body and refuses cross-site requests and form bodies", async () => {
    await join(t.app, 'choi@example.com');
    const credentials = { email: 'choi@example.com', password: PASSWORD };
    const login = await t.app.inject({ method: 'POST', url: '/account/login/', headers: PAGES, payload: credentials });
    expect(Object.keys(login.json()).sort()).toEqual(['access', 'user']);
    const crossSite = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: { ...PAGES, 'sec-fetch-site': 'cross-site' },
      payload: credentials,
    });
    expect(crossSite.json()).toEqual({ detail: 'CSRF Failed: cross-site request refused.', code: 'csrf_failed' });
    const otherOrigin = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: { ...PAGES, origin: 'https://evil.example' },
      payload: credentials,
    });
    expect(otherOrigin.statusCode).toBe(403);
    const form = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: { 'x-doorman-pages': 'cookie', 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=choi%40example.com&password=x',
    });
    expect(form.json().code).toBe('csrf_failed');
    for (const refused of [crossSite, otherOrigin, form]) expect(refused.headers['set-cookie']).toBeUndefined();
    // Without the pages header the API's header mode answers as before: form bodies accepted, no cookies.
    const api = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=choi%40example.com&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(api.statusCode).toBe(200);
    expect(api.headers['set-cookie']).toBeUndefined();
  });

  it('logout clears the page cookies and ends the session', async () => {
    await join(t.app, 'lee@example.com');
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      headers: PAGES,
      payload: { email: 'lee@example.com', password: PASSWORD },
    });
    const cookie = cookieHeader(login.headers['set-cookie']);
    const csrfToken = /doorman_page_csrf=([^;]+)/.exec(cookie)![1]!;
    const out = await t.app.inject({
      method: 'POST',
      url: '/account/logout/',
      headers: { ...PAGES, cookie, 'x-csrftoken': csrfToken },
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    expect(
      [out.headers['set-cookie']].flat().filter((c) => /Expires=Thu, 01 Jan 1970/.test(String(c))).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      (await t.app.inject({ url: '/account/mypage/', headers: { cookie, 'x-doorman-pages': 'cookie' } })).statusCode,
    ).toBe(401);
  });
});

describe('pages under a host prefix and beside the API cookie mode', () => {
  it('a host prefix reaches the page paths, the script, its data attributes and the refresh cookie path', async () => {
    const Fastify = (await import('fastify')).default;
    const { doormanPlugin } = await import('../../src/http/plugin.js');
    const t = await testApp();
    const host = Fastify();
    try {
      await host.register(doormanPlugin, { doorman: t.doorman, prefix: '/auth' });
      const page = await host.inject({ url: '/auth/account/login/', headers: { accept: BROWSER } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-account="/auth/account" data-admin="/auth/admin"');
      expect(page.body).toContain('src="/auth/_doorman/pages/browser/main.js"');
      expect((await host.inject({ url: '/auth/_doorman/pages.css' })).statusCode).toBe(200);
      expect((await host.inject({ url: '/account/login/', headers: { accept: BROWSER } })).statusCode).toBe(404);
      await join(t.app, 'kim@example.com');
      const login = await host.inject({
        method: 'POST',
        url: '/auth/account/login/',
        headers: { 'x-doorman-pages': 'cookie' },
        payload: { email: 'kim@example.com', password: PASSWORD },
      });
      expect(login.cookies.filter((c) => c.name === 'doorman_page_refresh').map((c) => c.path)).toEqual([
        '/auth/account/token/refresh',
        '/auth/account/logout',
      ]);
    } finally {
      await host.close();
      await t.close();
    }
  });

  it("with the API in cookie mode too, each request gets its own mode's cookies", async () => {
    const t = await testApp({ config: { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh' } });
    try {
      await join(t.app, 'kim@example.com');
      const credentials = { email: 'kim@example.com', password: PASSWORD };
      const api = await t.app.inject({ method: 'POST', url: '/account/login/', payload: credentials });
      expect(api.cookies.map((c) => c.name).sort()).toEqual([
        'csrftoken',
        'doorman-auth',
        'doorman-refresh',
        'doorman-refresh',
      ]);
      const pages = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        headers: { 'x-doorman-pages': 'cookie' },
        payload: credentials,
      });
      expect(pages.cookies.map((c) => c.name).sort()).toEqual([
        'doorman_page',
        'doorman_page_csrf',
        'doorman_page_refresh',
        'doorman_page_refresh',
      ]);
      // The API's access cookie does not count for a page request, nor the page's for an API request.
      const apiAccess = api.cookies.find((c) => c.name === 'doorman-auth')!.value;
      const pageAccess = pages.cookies.find((c) => c.name === 'doorman_page')!.value;
      expect((await t.app.inject({ url: '/account/mypage/', cookies: { 'doorman-auth': apiAccess } })).statusCode).toBe(
        200,
      );
      expect(
        (
          await t.app.inject({
            url: '/account/mypage/',
            cookies: { 'doorman-auth': apiAccess },
            headers: { 'x-doorman-pages': 'cookie' },
          })
        ).statusCode,
      ).toBe(401);
      expect((await t.app.inject({ url: '/account/mypage/', cookies: { doorman_page: pageAccess } })).statusCode).toBe(
        401,
      );
    } finally {
      await t.close();
    }
  });
});
