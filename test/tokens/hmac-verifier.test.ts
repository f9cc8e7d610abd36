import { createHmac, randomBytes } from 'node:crypto';
import { createDecoder, createVerifier, TokenError } from 'fast-jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Decoded } from '../../src/tokens/rules.js';
import { base64urlBytes, createHmacVerifier, type HmacVerifierOptions } from '../../src/tokens/hmac-verifier.js';

/**
 * The lean HS* verifier must accept and refuse exactly what fast-jwt's createVerifier did with
 * the options the codec passed before (issue 13), with the same reason. fastJwtReference below
 * is that former path, verbatim in behaviour: fast-jwt, then TokenError → simplejwt reason.
 */

const SECRET = randomBytes(48).toString('base64url');
const OTHER = randomBytes(48).toString('base64url');
const HASH = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
type Alg = keyof typeof HASH;

function fastJwtReference(o: HmacVerifierOptions): (token: string) => Decoded {
  const verifier = createVerifier({
    key: o.secret,
    algorithms: [o.alg],
    requiredClaims: [...o.requiredClaims],
    clockTolerance: o.clockToleranceMs,
    ...(o.audience ? { allowedAud: o.audience } : {}),
    ...(o.issuer ? { allowedIss: o.issuer } : {}),
    ...(o.ignoreExpiration ? { ignoreExpiration: true } : {}),
  });
  const decode = createDecoder();
  return (token) => {
    try {
      const payload = verifier(token) as unknown;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        return { ok: false, reason: 'invalid' };
      return { ok: true, payload: payload as Record<string, unknown> };
    } catch (error) {
      if (!(error instanceof TokenError)) return { ok: false, reason: 'invalid' };
      if (error.code === TokenError.codes.expired) return { ok: false, reason: 'expired' };
      if (error.code !== TokenError.codes.missingRequiredClaim) return { ok: false, reason: 'invalid' };
      try {
        return { ok: false, reason: 'exp' in (decode(token) as object) ? 'invalid' : 'no_exp' };
      } catch {
        return { ok: false, reason: 'invalid' };
      }
    }
  };
}

const seg = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
function make(header: unknown, payload: unknown, options: { alg?: Alg; key?: string; raw?: boolean } = {}): string {
  const input = options.raw ? `${header as string}.${payload as string}` : `${seg(header)}.${seg(payload)}`;
  return `${input}.${createHmac(HASH[options.alg ?? 'HS256'], options.key ?? SECRET)
    .update(input)
    .digest('base64url')}`;
}

const NOW = 1_800_000_000; // seconds; the clock is frozen here for every case
const H = { alg: 'HS256', typ: 'JWT' };
const good = { token_type: 'access', exp: NOW + 300, iat: NOW, jti: 'a'.repeat(32), user_id: 1 };

/** Every edge we know of, for an HS256 key; each is run through both verifiers under several configs. */
function corpus(): string[] {
  const t = make(H, good);
  const [h, p, s] = t.split('.') as [string, string, string];
  const std = (x: string) => Buffer.from(x, 'base64url').toString('base64'); // '+' '/' and '=' padding
  const lastVariants = 'AEIMQUYcgkosw048BFJN'.split('').map((c) => `${h}.${p}.${s.slice(0, -1)}${c}`); // non-canonical last chars
  const tokens = [
    t,
    '',
    '.',
    '..',
    'a.b',
    'a.b.c',
    'a.b.c.d',
    `${h}.${p}`,
    `${h}.${p}.`,
    `${h}..${s}`,
    `.${p}.${s}`,
    `${t}.`,
    `${t}x`,
    `${h}.${p}.${s.slice(0, -1)}`,
    `${h}.${p}.${s}=`,
    `${h}.${p}.${std(s)}`,
    `${h}.${std(p)}.${s}`,
    `${std(h)}.${p}.${s}`,
    `${h} .${p}.${s}`,
    `${h}.${p}\n.${s}`,
    `${h}.${p}.${s.replace(/[A-Za-z]/, '+')}`,
    ...lastVariants,
    make(H, good, { key: OTHER }),
    make({ alg: 'none' }, good),
    `${seg({ alg: 'none' })}.${p}.`,
    make({ alg: 'HS384' }, good),
    make({ alg: 'HS384' }, good, { alg: 'HS384' }),
    make({ alg: 'hs256' }, good),
    make({ typ: 'JWT' }, good),
    make({ alg: ['HS256'] }, good),
    make({ alg: 'HS256', kid: 'x' }, good),
    make({ alg: 'HS256', typ: 'other' }, good),
    make({ alg: 'HS256', crit: ['exp'] }, good),
    make({ alg: 'HS256', crit: [] }, good),
    make({ alg: 'HS256', crit: 0 }, good),
    make({ alg: 'HS256', crit: '' }, good),
    make({ alg: 'HS256', crit: 'b64' }, good),
    make([H], good),
    make(null, good),
    make('"HS256"', good),
    make('not json', good, { raw: true }),
    make(seg('{"alg":"HS256"'), p, { raw: true }),
    make(H, [good]),
    make(H, null),
    make(H, 42),
    make(H, 'x'),
    make(h, seg('{"exp": 1'), { raw: true }),
    make(h, seg('\u00ff\u00fe'), { raw: true }),
    make(h, Buffer.from(`{"exp":${NOW + 10},"x":"é✓"}`).toString('base64url'), { raw: true }),
    make(h, seg(`{"exp":${NOW + 10},"__proto__":{"nbf":${NOW + 99}}}`), { raw: true }),
    ...signedWithStrays(),
  ];
  const claimCases: Record<string, unknown>[] = [
    {},
    { exp: undefined },
    { exp: null },
    { exp: '9999999999' },
    { exp: [NOW + 10] },
    { exp: true },
    { exp: NOW - 1 },
    { exp: NOW },
    { exp: NOW - 10 },
    { exp: NOW - 11 },
    { exp: NOW + 0.5 },
    { exp: NOW - 0.5 },
    { exp: 1e308 },
    { exp: -1 },
    { nbf: NOW + 1 },
    { nbf: NOW + 10 },
    { nbf: NOW + 11 },
    { nbf: NOW },
    { nbf: '0' },
    { nbf: [0] },
    { nbf: null },
    { nbf: NOW + 20, exp: NOW - 20 },
    { aud: 'api' },
    { aud: 'other' },
    { aud: ['other', 'api'] },
    { aud: ['other'] },
    { aud: [] },
    { aud: ['api', 7] },
    { aud: 7 },
    { aud: null },
    { iss: 'me' },
    { iss: 'you' },
    { iss: ['me'] },
    { iss: 1 },
    { iss: null },
    { aud: 'api', iss: 'me' },
    { aud: 'api', iss: 'me', exp: NOW - 60 },
  ];
  for (const c of claimCases) {
    tokens.push(make(H, { ...good, ...c }));
    const { exp: _drop, ...noExp } = { ...good, ...c };
    if (!('exp' in c)) tokens.push(make(H, noExp));
  }
  return tokens;
}

/** Random single-character mutations of valid tokens: every position, random replacement. */
function mutations(count: number): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/= ';
  const base = [make(H, good), make(H, { ...good, aud: 'api', iss: 'me' }), make(H, { ...good, exp: NOW - 5 })];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = base[i % base.length]!;
    const at = Math.floor(Math.random() * t.length);
    const c = alphabet[Math.floor(Math.random() * alphabet.length)]!;
    out.push(i % 7 === 0 ? t.slice(0, at) + t.slice(at + 1) : t.slice(0, at) + c + t.slice(at + 1));
  }
  return out;
}

const CONFIGS: Array<Partial<HmacVerifierOptions>> = [
  {},
  { clockToleranceMs: 10_000 },
  { ignoreExpiration: true },
  { audience: 'api', requiredClaims: ['exp', 'aud'] },
  { issuer: 'me', requiredClaims: ['exp', 'iss'] },
  {
    audience: 'api',
    issuer: 'me',
    requiredClaims: ['exp', 'aud', 'iss'],
    clockToleranceMs: 10_000,
    ignoreExpiration: true,
  },
];
const options = (c: Partial<HmacVerifierOptions>, alg: Alg = 'HS256'): HmacVerifierOptions => ({
  alg,
  secret: SECRET,
  requiredClaims: ['exp'],
  clockToleranceMs: 0,
  audience: null,
  issuer: null,
  ignoreExpiration: false,
  clock: () => Date.now(),
  ...c,
});

/**
 * Signed by the key holder, with a payload text that Node's decoder reads as a valid payload but
 * that is not base64url: '-' or '_' written as '+' or '/' (or as U+012B / U+012F, whose low
 * bytes are those), or a stray character Node skips. fast-jwt refuses every one.
 */
function signedWithStrays(): string[] {
  let claims: Record<string, unknown> = good;
  let p = seg(claims);
  for (let n = 0; !(p.includes('-') && p.includes('_')); n++) p = seg((claims = { ...good, pad: `${n}~~??>>` }));
  const dash = p.indexOf('-');
  const under = p.indexOf('_');
  const variants = [
    `${p.slice(0, dash)}+${p.slice(dash + 1)}`,
    `${p.slice(0, under)}/${p.slice(under + 1)}`,
    `${p.slice(0, dash)}\u012b${p.slice(dash + 1)}`,
    `${p.slice(0, under)}\u012f${p.slice(under + 1)}`,
    ...[' ', '\n', '=', '*', '\u00e9', '\u0000'].map((c) => `${p.slice(0, 8)}${c}${p.slice(8)}`),
  ];
  // Each reads as the claims (so only the alphabet check can refuse it), but '=': Node stops there.
  for (const v of variants.filter((v) => !v.includes('=')))
    expect(JSON.parse(Buffer.from(v, 'base64url').toString('utf8'))).toEqual(claims);
  return variants.map((v) => make(seg(H), v, { raw: true }));
}

describe('base64urlBytes', () => {
  const BASE64URL = /^[A-Za-z0-9_-]*$/;
  /** What fast-jwt does: the regex, then Node's decoder. */
  const reference = (segment: string) => (BASE64URL.test(segment) ? Buffer.from(segment, 'base64url') : null);

  it('answers as the regex does for every UTF-16 code unit, replaced or inserted, at every length mod 4', () => {
    const base = randomBytes(64).toString('base64url');
    let differences = 0;
    let cases = 0;
    for (const length of [40, 41, 42, 43]) {
      const valid = base.slice(0, length);
      for (let unit = 0; unit < 0x10000; unit++) {
        const c = String.fromCharCode(unit);
        const at = unit % length; // every position is reached across the code units
        for (const segment of [
          valid.slice(0, at) + c + valid.slice(at + 1),
          valid.slice(0, at) + c + valid.slice(at),
        ]) {
          cases++;
          const got = base64urlBytes(segment);
          const want = reference(segment);
          if ((got === null) !== (want === null) || (got !== null && !got.equals(want!))) differences++;
        }
      }
    }
    expect(cases).toBe(4 * 0x10000 * 2);
    expect(differences).toBe(0);
  });

  it('refuses two stray characters together and padding anywhere', () => {
    const valid = randomBytes(30).toString('base64url'); // 40 characters
    for (const [a, b] of [
      ['=', '='],
      [' ', '\n'],
      ['+', '-'],
      ['.', '*'],
      ['\u012b', 'A'],
      ['\u0000', '\u00e9'],
    ] as const)
      for (let at = 0; at < valid.length - 1; at++) {
        const segment = `${valid.slice(0, at)}${a}${b}${valid.slice(at + 2)}`;
        expect(base64urlBytes(segment), JSON.stringify(segment)).toEqual(reference(segment));
      }
    expect(base64urlBytes(`${valid}==`)).toBeNull();
    expect(base64urlBytes('')).toEqual(Buffer.alloc(0));
  });
});

describe('createHmacVerifier answers exactly as fast-jwt did', () => {
  afterEach(() => vi.useRealTimers());

  it.each(CONFIGS.map((c, i) => [i, c] as const))('on every edge case (config %i)', (_i, config) => {
    vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] });
    const lean = createHmacVerifier(options(config));
    const reference = fastJwtReference(options(config));
    const tokens = corpus();
    const answers = new Set<string>();
    for (const token of tokens) {
      const expected = reference(token);
      // twice: the second run takes the known-header shortcut for headers that verified once
      expect(lean(token), token).toEqual(expected);
      expect(lean(token), token).toEqual(expected);
      answers.add(expected.ok ? 'ok' : expected.reason);
    }
    // The corpus reaches every outcome, so the comparison cannot pass vacuously.
    expect([...answers].sort()).toEqual(
      config.ignoreExpiration ? ['invalid', 'no_exp', 'ok'] : ['expired', 'invalid', 'no_exp', 'ok'],
    );
  });

  it('on 6,000 random mutations of valid tokens', () => {
    vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] });
    const config = { audience: 'api', requiredClaims: ['exp'] };
    const lean = createHmacVerifier(options(config));
    const reference = fastJwtReference(options(config));
    let accepted = 0;
    for (const token of mutations(6000)) {
      const expected = reference(token);
      expect(lean(token), token).toEqual(expected);
      if (expected.ok) accepted++;
    }
    // Only the unchanged ones and the 2-spare-bit variants of the last signature char pass.
    expect(accepted).toBeLessThan(400);
  });

  it.each(['HS384', 'HS512'] as const)(
    'for %s keys, and refuses the other HS algorithms with the same secret',
    (alg) => {
      vi.useFakeTimers({ now: NOW * 1000, toFake: ['Date'] });
      const lean = createHmacVerifier(options({}, alg));
      const reference = fastJwtReference(options({}, alg));
      const own = make({ alg }, good, { alg });
      const s = own.slice(own.lastIndexOf('.') + 1);
      const tokens = [
        own,
        make(H, good),
        make({ alg: 'HS256' }, good, { alg }),
        make({ alg }, { ...good, exp: NOW - 1 }, { alg }),
        make({ alg }, good, { alg, key: OTHER }),
        ...'ABCDEFGHIJKLMNOPQ'.split('').map((c) => own.slice(0, -1) + c),
        own.slice(0, -1),
        `${own.slice(0, -s.length)}${s}A`,
      ];
      const results = tokens.map((t) => lean(t));
      expect(results).toEqual(tokens.map((t) => reference(t)));
      expect(results[0]).toEqual({ ok: true, payload: good });
      expect(results[1]).toEqual({ ok: false, reason: 'invalid' });
    },
  );

  it('never throws, whatever it is given', () => {
    const lean = createHmacVerifier(options({}));
    for (const junk of ['\u0000', '.'.repeat(5000), 'é.é.é', `${'a'.repeat(100000)}.b.c`])
      expect(lean(junk)).toEqual({ ok: false, reason: 'invalid' });
  });
});
