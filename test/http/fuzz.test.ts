import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join, testApp, type TestApp } from '../helpers.js';
import { malformed, prng } from './fuzz-cases.js';

/** How many requests: small in CI; `npm run fuzz` sends 10,000 or more (DOORMAN_FUZZ_COUNT). */
const COUNT = Number(process.env.DOORMAN_FUZZ_COUNT ?? 500);
const SEED = Number(process.env.DOORMAN_FUZZ_SEED ?? 14);
const PARALLEL = 16;

interface Parsed {
  statuses: number[];
  error: string | null;
}

/** A strict HTTP/1.1 response-stream parser: every byte must belong to a well-formed response. */
export function parseResponses(data: Buffer, firstIsHead: boolean): Parsed {
  const statuses: number[] = [];
  let at = 0;
  let head = firstIsHead;
  while (at < data.length) {
    const end = data.indexOf('\r\n\r\n', at, 'latin1');
    if (end < 0)
      return {
        statuses,
        error: `truncated head at ${at}: ${JSON.stringify(data.subarray(at, at + 80).toString('latin1'))}`,
      };
    const lines = data.subarray(at, end).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3}) [^\r\n]*$/.exec(lines[0]!);
    if (!status) return { statuses, error: `bad status line: ${JSON.stringify(lines[0]!.slice(0, 80))}` };
    const code = Number(status[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(line);
      if (!m) return { statuses, error: `bad header line: ${JSON.stringify(line.slice(0, 80))}` };
      headers.set(m[1]!.toLowerCase(), m[2]!);
    }
    at = end + 4;
    if (code >= 100 && code < 200) continue;
    statuses.push(code);
    const noBody = head || code === 204 || code === 304;
    head = false;
    if (noBody) continue;
    if (headers.get('transfer-encoding')?.toLowerCase() === 'chunked') {
      for (;;) {
        const lineEnd = data.indexOf('\r\n', at, 'latin1');
        if (lineEnd < 0) return { statuses, error: 'truncated chunk size' };
        const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
        if (!Number.isInteger(size)) return { statuses, error: 'bad chunk size' };
        at = lineEnd + 2 + size + 2;
        if (size === 0) break;
      }
      continue;
    }
    const length = headers.get('content-length');
    if (length === undefined || !/^\d+$/.test(length))
      return { statuses, error: `no usable Content-Length (${length})` };
    at += Number(length);
    if (at > data.length) return { statuses, error: 'body shorter than Content-Length' };
  }
  return { statuses, error: null };
}

function exchange(port: number, raw: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.end(raw);
  });
}

describe(`fuzz: ${COUNT} malformed requests over a real socket (seed ${SEED})`, () => {
  let t: TestApp;
  let port: number;
  let bearer: string;
  beforeAll(async () => {
    t = await testApp({ config: { requestTimeout: 3, headersTimeout: 2 } });
    const staff = await join(t.app, 'root@example.com');
    await t.storage.users.update(staff.user.pk, { isStaff: true, isSuperuser: true });
    bearer = staff.access;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterAll(() => t.close());

  it('no answer ≥ 500, no broken framing, and the server is healthy after', async () => {
    const r = prng(SEED);
    const cases = Array.from({ length: COUNT }, () => malformed(r, bearer));
    const counts: Record<number, number> = {};
    const failures: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < cases.length) {
          const index = next++;
          const { raw, head } = cases[index]!;
          const parsed = parseResponses(await exchange(port, raw), head);
          for (const s of parsed.statuses) counts[s] = (counts[s] ?? 0) + 1;
          if (parsed.error)
            failures.push(`#${index}: ${parsed.error} for ${JSON.stringify(raw.subarray(0, 120).toString('latin1'))}`);
          if (parsed.statuses.some((s) => s >= 500))
            failures.push(
              `#${index}: ${parsed.statuses.join(',')} for ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`,
            );
        }
      }),
    );
    console.log(`fuzz: ${COUNT} requests, answers by status: ${JSON.stringify(counts)}`);
    expect(failures.slice(0, 10)).toEqual([]);
    const health = await exchange(port, Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    expect(health.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"status":"ok"\}$/);
    const login = await t.app.inject({ method: 'POST', url: '/api/token/verify/', payload: { token: bearer } });
    expect(login.statusCode).toBe(200);
  }, 600_000);
});
