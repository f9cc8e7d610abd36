/** Malformed HTTP requests for the fuzz test, from a seeded generator (a failure can be replayed by its seed and index). */

export const ENDPOINTS = [
  '/account/join/',
  '/account/login/',
  '/account/logout/',
  '/account/password/change/',
  '/account/mypage/',
  '/account/user/',
  '/account/token/refresh/',
  '/account/token/verify/',
  '/api/token/',
  '/api/token/refresh/',
  '/api/token/verify/',
  '/api/token/blacklist/',
  '/api/token/sliding/',
  '/api/token/sliding/refresh/',
  '/admin/groups/',
  '/admin/groups/1/',
  '/admin/groups/1/permissions/',
  '/admin/groups/1/permissions/auth.view_user/',
  '/admin/groups/1/members/',
  '/admin/groups/1/members/1/',
  '/admin/users/1/permissions/',
  '/admin/users/1/permissions/auth.view_user/',
  '/.well-known/jwks.json',
  '/.well-known/openid-configuration',
  '/healthz',
];

/** mulberry32: a small seeded PRNG. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const int = (max: number) => Math.floor(next() * max);
  return { next, pick, int };
}

const FIELDS = [
  'email',
  'password',
  'password1',
  'password2',
  'refresh',
  'token',
  'old_password',
  'new_password1',
  'new_password2',
  'first_name',
  'last_name',
  'gender',
  'date_of_birth',
  'name',
  'permission',
  'user',
  '__proto__',
  'constructor',
];

function value(r: ReturnType<typeof prng>, depth = 0): unknown {
  switch (r.int(14)) {
    case 0:
      return null;
    case 1:
      return r.int(2) === 0;
    case 2:
      return r.pick([0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER]);
    case 3:
      return 'x'.repeat(r.pick([0, 1, 255, 1025, 5000, 70_000]));
    case 4:
      return r.pick([
        'a@b',
        '@',
        'kim@example.com',
        'ｋｉｍ@ｅｘａｍｐｌｅ．ｃｏｍ',
        'kim@ехаmple.com',
        'kim\u0000@x.com',
        '\ud800',
        '💥'.repeat(300),
        '../../etc/passwd',
        "' OR 1=1 --",
        '%00',
        '\r\nX-Injected: 1',
      ]);
    case 5:
      return r.pick(['eyJhbGciOiJub25lIn0.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.', 'a.b.c', 'eyJ.eyJ.', '....', 'Bearer x']);
    case 6:
      return depth < 6 ? [value(r, depth + 1), value(r, depth + 1)] : [];
    case 7:
      return depth < 6 ? object(r, depth + 1) : {};
    case 8:
      return r.pick(['1999-02-30', '2999-01-01', 'male', 'female', 'other', '']);
    case 9:
      return r.pick(['auth.view_user', 'a.b', '.', 'a'.repeat(300), 'DROP TABLE']);
    default:
      return String(r.next()).slice(2, 2 + r.int(20));
  }
}

function object(r: ReturnType<typeof prng>, depth = 0): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  // defineProperty: `o['__proto__'] = v` would set the prototype, not send a "__proto__" key.
  for (let i = r.int(6); i > 0; i--)
    Object.defineProperty(o, r.pick(FIELDS), {
      value: value(r, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return o;
}

function body(r: ReturnType<typeof prng>): Buffer {
  switch (r.int(10)) {
    case 0:
      return Buffer.alloc(0);
    case 1:
      return Buffer.from(JSON.stringify(object(r)).slice(0, r.int(200)));
    case 2:
      return Buffer.from('['.repeat(r.pick([10, 1000, 5000])) + ']'.repeat(r.int(2) ? 10 : 0));
    case 3:
      return Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
    case 4:
      return Buffer.from(
        new URLSearchParams(
          Object.entries(object(r)).map(([k, v]): [string, string] => [
            k,
            typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
          ]),
        ).toString(),
      );
    case 5:
      return Buffer.from('{"__proto__": {"isSuperuser": true}, "constructor": {"prototype": {"x": 1}}}');
    case 6:
      return Buffer.from('x'.repeat(r.pick([70_000, 200_000])));
    default:
      return Buffer.from(JSON.stringify(object(r)));
  }
}

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'post',
  'G\u00c9T',
];
const TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=x',
  'text/plain',
  'application/xml',
  '',
  'application/json, text/plain',
  '*/*',
  'application/vnd.api+json',
  'application/json; charset=latin1',
];

function path(r: ReturnType<typeof prng>): string {
  const base = r.pick(ENDPOINTS);
  switch (r.int(10)) {
    case 0:
      return base + '?' + 'q='.repeat(r.pick([1, 100, 3000]));
    case 1:
      return base.replace(/\//g, '//');
    case 2:
      return base.replace(/\/$/, '') + '/%00/%ff/%';
    case 3:
      return base.replace('1', r.pick(['0', '-1', '999999999999999999', 'abc', '%2e%2e', '1e3', ' ']));
    case 4:
      return base + '..%2f..%2f';
    case 5:
      return '*';
    case 6:
      return 'http://evil.example' + base;
    default:
      return base;
  }
}

/** One malformed (or merely hostile) request as raw bytes, and whether it is a HEAD (its answer has no body). */
export function malformed(r: ReturnType<typeof prng>, bearer: string): { raw: Buffer; head: boolean } {
  const method = r.pick(METHODS);
  const payload = body(r);
  const headers: string[] = ['Host: 127.0.0.1', 'Connection: close'];
  const type = r.pick(TYPES);
  if (type) headers.push(`Content-Type: ${type}`);
  switch (r.int(8)) {
    case 0:
      headers.push(`Content-Length: ${payload.length}`);
      break;
    case 1:
      headers.push(`Content-Length: ${payload.length + r.int(5)}`);
      break; // longer than the body: the server waits, then times out or the socket ends
    case 2:
      headers.push(`Content-Length: ${Math.max(0, payload.length - r.int(5))}`);
      break; // shorter: the rest is a (garbage) next request
    case 3:
      headers.push('Transfer-Encoding: chunked');
      break;
    case 4:
      headers.push(`Content-Length: ${payload.length}`, `Content-Length: ${payload.length + 1}`);
      break;
    case 5:
      headers.push('Content-Length: -1');
      break;
    case 6:
      headers.push(`Content-Length: ${payload.length}`, 'Transfer-Encoding: chunked');
      break;
    default:
      headers.push(`Content-Length: ${payload.length}`);
  }
  if (r.int(3) === 0)
    headers.push(
      `Authorization: ${r.pick([`Bearer ${bearer}`, 'Bearer', 'Bearer a b', 'Basic Zm9vOmJhcg==', `Bearer ${bearer.slice(0, -3)}xyz`, 'Bearer ' + 'A'.repeat(9000)])}`,
    );
  if (r.int(4) === 0)
    headers.push(`Cookie: ${r.pick(['doorman-auth=x', 'a=b; a=c', '=;', 'csrftoken=' + '%'.repeat(50)])}`);
  if (r.int(6) === 0)
    headers.push(
      r.pick([
        'X-Forwarded-For: 1.1.1.1, ::1, garbage',
        'Origin: null',
        'Sec-Fetch-Site: cross-site',
        'Accept: text/html',
        'Accept-Encoding: gzip, br',
        'Expect: 100-continue',
        'X-Doorman-Token-Transport: body',
        'Host: evil.example',
      ]),
    );
  if (r.int(10) === 0) headers.push('X-Long: ' + 'h'.repeat(r.pick([1000, 20_000])));
  let data = payload;
  if (headers.includes('Transfer-Encoding: chunked')) {
    data = r.int(2)
      ? Buffer.concat([Buffer.from(`${payload.length.toString(16)}\r\n`), payload, Buffer.from('\r\n0\r\n\r\n')])
      : Buffer.concat([Buffer.from('zz\r\n'), payload]);
  }
  const requestLine =
    r.int(20) === 0
      ? `${method} ${path(r)} HTTP/1.0`
      : r.int(30) === 0
        ? `${method} ${path(r)}`
        : `${method} ${path(r)} HTTP/1.1`;
  return {
    raw: Buffer.concat([Buffer.from(`${requestLine}\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1'), data]),
    head: method === 'HEAD',
  };
}
