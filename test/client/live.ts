import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { testApp, type TestApp, type TestAppOptions } from '../helpers.js';

export interface LiveDoorman extends TestApp {
  baseUrl: string;
  /** Requests the server received, by method and path (query and trailing details kept). */
  seen: { method: string; url: string; status: number; body: unknown; headers: Record<string, unknown> }[];
  /** How many requests reached `path` (e.g. '/account/token/refresh/'). */
  count(path: string): number;
}

/** A real doorman on 127.0.0.1:<free port>, recording every request it answers. */
export async function liveDoorman(
  options: TestAppOptions & { routes?: (app: FastifyInstance) => void } = {},
): Promise<LiveDoorman> {
  const t = await testApp(options);
  options.routes?.(t.app);
  const seen: LiveDoorman['seen'] = [];
  // onResponse: requests refused before their handler (401, 403 CSRF) are recorded too.
  t.app.addHook('onResponse', async (request, reply) => {
    seen.push({
      method: request.method,
      url: request.url,
      status: reply.statusCode,
      body: request.body,
      headers: { ...request.headers },
    });
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as AddressInfo;
  return {
    ...t,
    baseUrl: `http://127.0.0.1:${port}`,
    seen,
    count: (path) => seen.filter((s) => s.url === path).length,
  };
}

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  httpOnly: boolean;
  expires: number | null;
}

/**
 * A browser's cookie store, just enough for doorman's cookie mode over Node's fetch (which
 * keeps none): Path matching (RFC 6265 §5.1.4), Max-Age/Expires on the (possibly faked)
 * Date clock, HttpOnly cookies hidden from `document.cookie`. Secure is ignored, as browsers
 * treat 127.0.0.1 as a secure context.
 */
export function cookieJar() {
  const cookies = new Map<string, StoredCookie>();
  const live = () => [...cookies.values()].filter((c) => c.expires === null || c.expires > Date.now());
  const pathMatches = (requestPath: string, cookiePath: string) =>
    requestPath === cookiePath ||
    (requestPath.startsWith(cookiePath) && (cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/'));

  function store(header: string) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const at = pair.indexOf('=');
    const cookie: StoredCookie = {
      name: pair.slice(0, at),
      value: pair.slice(at + 1),
      path: '/',
      httpOnly: false,
      expires: null,
    };
    for (const attribute of attributes) {
      const [key = '', value = ''] = attribute.split('=');
      const name = key.toLowerCase();
      if (name === 'path') cookie.path = value;
      if (name === 'httponly') cookie.httpOnly = true;
      if (name === 'max-age') cookie.expires = Date.now() + Number(value) * 1000;
      if (name === 'expires' && cookie.expires === null) cookie.expires = Date.parse(value);
    }
    cookies.set(`${cookie.name};${cookie.path}`, cookie);
  }

  /** fetch with the jar: cookies out by path, Set-Cookie in. */
  const fetchWithJar: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const sent = live()
      .filter((c) => pathMatches(url.pathname, c.path))
      .map((c) => `${c.name}=${c.value}`);
    if (sent.length > 0) headers.set('cookie', sent.join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const header of response.headers.getSetCookie()) store(header);
    return response;
  };

  return {
    fetch: fetchWithJar,
    /** What the page's script sees (document.cookie): never an HttpOnly cookie. */
    readCookie: (name: string) => live().find((c) => c.name === name && !c.httpOnly)?.value ?? null,
    /** Every live cookie, HttpOnly ones included (for assertions). */
    all: () => live().map(({ name, path, httpOnly }) => ({ name, path, httpOnly })),
  };
}
