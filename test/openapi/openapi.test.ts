import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testApp, type TestApp } from '../helpers.js';
import { openApiPath, type OpenApiDocument, type RegisteredRoute } from './document.js';

const routes = vi.hoisted(() => [] as RegisteredRoute[]);
// Hoisted above the imports: the factory loads its helper itself.
vi.mock('fastify', async (importOriginal) =>
  (await import('./document.js')).recordingFastify(importOriginal as never, routes),
);

const COOKIES = { authCookie: 'doorman-auth', refreshCookie: 'doorman-refresh' };

async function documentOf(t: TestApp): Promise<OpenApiDocument> {
  const response = await t.app.inject({ url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json();
}

describe('OpenAPI 3.1 at /openapi.json', () => {
  let t: TestApp;
  afterEach(() => t.close());

  for (const [name, config] of [
    ['header mode', {}],
    ['cookie mode', COOKIES],
  ] as const) {
    it(`is a valid OpenAPI 3.1 document (${name}), by @seriousme/openapi-schema-validator`, async () => {
      t = await testApp({ config });
      const document = await documentOf(t);
      expect(document.openapi).toBe('3.1.0');
      const result = await new Validator().validate(document as never);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    });
  }

  it('describes every route the app registered; the only hidden ones are the 405 answers and the docs themselves', async () => {
    routes.length = 0;
    t = await testApp();
    const document = await documentOf(t);
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const visible = routes.filter((r) => !r.hidden && r.method !== 'HEAD');
    expect(visible.length).toBeGreaterThanOrEqual(30);
    for (const route of visible)
      expect(documented, `${route.method} ${route.url}`).toContain(`${route.method} ${openApiPath(route.url)}`);
    expect(documented.size).toBe(visible.length);

    // A hidden route must be a 405 (a method the path does not answer), or the docs.
    for (const route of routes.filter((r) => r.hidden && r.method !== 'HEAD')) {
      if (route.url === '/openapi.json' || route.url.startsWith('/docs')) continue;
      // The HTML pages (GET for browsers that prefer HTML; JSON clients get the API's 405 or 404) and their static files.
      if (route.url.startsWith('/_doorman/')) continue;
      if (route.method === 'GET' && (route.url.startsWith('/account/') || route.url.startsWith('/admin/'))) {
        const page = await t.app.inject({ url: route.url.replace(/:[a-z]+/g, '1'), headers: { accept: 'text/html' } });
        if (page.headers['content-type'] === 'text/html; charset=utf-8') continue;
      }
      const response = await t.app.inject({ method: route.method as 'GET', url: route.url.replace(/:[a-z]+/g, '1') });
      expect(response.statusCode, `${route.method} ${route.url} is hidden`).toBe(405);
    }
  });

  it('every operation has a summary, a tag, a 2xx answer, and the error answers its inputs can cause', async () => {
    t = await testApp();
    const document = await documentOf(t);
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toEqual(expect.any(String));
        expect(op.tags?.length, where).toBe(1);
        const codes = Object.keys(op.responses);
        // A success is a 2xx, or, for social login's browser redirects (issue 16), a 302.
        expect(
          codes.some((c) => c.startsWith('2') || (c === '302' && path.startsWith('/account/social/'))),
          where,
        ).toBe(true);
        for (const [code, response] of Object.entries(op.responses)) {
          expect(response.description, `${where} ${code}`).not.toBe('Default Response');
          // 204 and 302 carry no body.
          if (code !== '204' && code !== '302')
            expect(response.content?.['application/json']?.schema, `${where} ${code}`).toBeDefined();
        }
        if (op.requestBody) expect(codes, where).toEqual(expect.arrayContaining(['400', '413', '415']));
        if (op.security) expect(codes, where).toContain('401');
        if (path.includes('{')) expect(codes, where).toContain('404');
        if (path.startsWith('/admin/')) expect(codes, where).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
  });

  it('has the bearer scheme, and in cookie mode the cookie and CSRF schemes on the protected routes', async () => {
    t = await testApp();
    const plain = await documentOf(t);
    expect(plain.components.securitySchemes).toEqual({
      bearerAuth: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    });
    expect(plain.paths['/account/mypage/']!.get!.security).toEqual([{ bearerAuth: [] }]);
    await t.close();

    t = await testApp({ config: COOKIES });
    const cookie = await documentOf(t);
    expect(cookie.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      cookieAuth: { type: 'apiKey', in: 'cookie', name: 'doorman-auth' },
      csrfToken: { type: 'apiKey', in: 'header', name: 'x-csrftoken' },
    });
    expect(cookie.paths['/account/mypage/']!.get!.security).toEqual([{ bearerAuth: [] }, { cookieAuth: [] }]);
    expect(cookie.paths['/account/user/']!.patch!.security).toEqual([
      { bearerAuth: [] },
      { cookieAuth: [], csrfToken: [] },
    ]);
  });

  it('carries examples: request and error bodies', async () => {
    t = await testApp();
    const document = await documentOf(t);
    const join = document.paths['/account/join/']!.post!;
    expect(Object.keys(join.requestBody!.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    const badRequest = JSON.stringify(join.responses['400']);
    expect(badRequest).toContain('This password is too short.');
    expect(JSON.stringify(document.paths['/account/mypage/']!.get!.responses['401'])).toContain('not_authenticated');
    expect(JSON.stringify(document.paths['/account/mypage/']!.get!.responses['200'])).toContain('반갑습니다');
  });

  it('DOORMAN_API_DOCS=false serves neither the document nor the page', async () => {
    t = await testApp({ config: { apiDocs: false } });
    expect((await t.app.inject({ url: '/openapi.json' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBe(404);
  });
});

describe('/docs (Swagger UI)', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('is served from this process under a strict CSP: no CDN, no inline script, no framing', async () => {
    t = await testApp();
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe|https:|\*)/);
    // Every script is an external file of ours: no inline code, nothing from another host.
    const scripts = [...page.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(body!.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attributes!)![1]!;
      expect(src).toMatch(/^\.?\/(docs\/)?static\//);
      const asset = await t.app.inject({ url: new URL(src, 'http://x/docs/').pathname });
      expect(asset.statusCode, src).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
    }
    expect(page.body).not.toMatch(/https?:\/\//);
    // The API's own answers are not given the page's CSP.
    expect((await t.app.inject({ url: '/healthz' })).headers['content-security-policy']).toBeUndefined();
  });
});
