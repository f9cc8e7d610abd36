import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { testApp, type TestApp } from '../helpers.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function listen(config: ConfigInput = {}) {
  t = await testApp({ config });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return (t.app.server.address() as { port: number }).port;
}

/** Writes `chunks` (each after `gap` ms) and collects everything until the server closes; resolves with the bytes and when it closed. */
function raw(
  port: number,
  chunks: string[],
  gap = 0,
  giveUpAfter = 15_000,
): Promise<{ data: string; closedAfter: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (d) => (data += d.toString('latin1')));
    socket.on('error', () => {});
    const timer = setTimeout(() => socket.destroy(), giveUpAfter);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ data, closedAfter: Date.now() - started });
    });
    let i = 0;
    const next = () => {
      if (socket.destroyed || i >= chunks.length) return;
      socket.write(chunks[i++]!);
      setTimeout(next, gap);
    };
    next();
  });
}

describe('framing', () => {
  it("a HEAD with a 40 KB query string gets 431 with no body and a closed connection; Node's client parses it", async () => {
    const port = await listen();
    const head = `HEAD /healthz?q=${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\n\r\n`;
    const { data } = await raw(port, [head + 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n']);
    expect(data).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(data).toContain('Connection: close\r\n');
    expect(data.endsWith('Content-Length: 0\r\n\r\n')).toBe(true);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'HEAD', path: `/healthz?q=${'a'.repeat(40_000)}` },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(431);
    // A GET gets doorman's body.
    const get = await raw(port, [`GET /healthz?q=${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\n\r\n`]);
    expect(get.data).toMatch(/^HTTP\/1\.1 431 /);
    expect(get.data.split('\r\n\r\n')[1]).toBe(
      '{"detail":"Request header fields (or the URL) are too large.","code":"headers_too_large"}',
    );
  });

  it('garbage gets a 400 DRF body and a closed connection', async () => {
    const port = await listen();
    const { data } = await raw(port, ['NOT HTTP AT ALL\r\n\r\n']);
    expect(data).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(data.split('\r\n\r\n')[1]).toBe('{"detail":"Malformed request.","code":"parse_error"}');
  });

  it('a trickled body cannot hold a connection past requestTimeout', async () => {
    const port = await listen({ requestTimeout: 2, headersTimeout: 1 });
    const head =
      'POST /account/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const { data, closedAfter } = await raw(port, [head, ...Array<string>(100).fill(' ')], 200);
    expect(closedAfter).toBeLessThan(4500);
    expect(closedAfter).toBeGreaterThanOrEqual(1900);
    expect(data).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('trickled headers are cut at headersTimeout', async () => {
    const port = await listen({ requestTimeout: 5, headersTimeout: 1 });
    const { data, closedAfter } = await raw(
      port,
      ['GET /healthz HTTP/1.1\r\n', ...Array<string>(100).fill('X-A: b\r\n')],
      200,
    );
    expect(closedAfter).toBeLessThan(3500);
    expect(data).toMatch(/^HTTP\/1\.1 408 /);
  });
});
