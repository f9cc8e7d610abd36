import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors/auth-error.js';
import { createPasswordHasher } from '../../src/passwords/hash.js';
import { Limiter } from '../../src/passwords/limiter.js';

const params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('argon2id password hashing', () => {
  const hasher = createPasswordHasher(params, new Limiter(2, 100));

  it('hashes to a salted argon2id PHC string that verifies only the right password', async () => {
    const a = await hasher.hash('correct horse');
    const b = await hasher.hash('correct horse');
    expect(a).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await hasher.verify(a, 'correct horse')).toBe(true);
    expect(await hasher.verify(a, 'correct horsE')).toBe(false);
  });

  it('answers false, never throws, for a hash it cannot read', async () => {
    expect(await hasher.verify('pbkdf2_sha256$1$x$y', 'x')).toBe(false);
    expect(await hasher.verify('$argon2id$v=19$m=1024,t=1,p=1$garbage', 'x')).toBe(false);
  });

  it('asks for a rehash when the parameters are weaker than the current ones', async () => {
    const weak = await hasher.hash('x');
    const stronger = createPasswordHasher({ ...params, memoryCost: 2048 }, new Limiter(1, 10));
    expect(hasher.needsRehash(weak)).toBe(false);
    expect(stronger.needsRehash(weak)).toBe(true);
    expect(stronger.needsRehash('pbkdf2_sha256$1$x$y')).toBe(true);
  });
});

describe('Limiter', () => {
  it('runs at most `concurrency` tasks at once', async () => {
    const limiter = new Limiter(2, 100);
    let running = 0;
    let peak = 0;
    const task = () =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
      });
    await Promise.all(Array.from({ length: 10 }, task));
    expect(peak).toBe(2);
  });

  it('refuses with server_busy (503) beyond the queue limit', async () => {
    const limiter = new Limiter(1, 1);
    let release!: () => void;
    const blocker = limiter.run(() => new Promise<void>((r) => (release = r)));
    const queued = limiter.run(async () => 'queued');
    await expect(limiter.run(async () => 'refused')).rejects.toMatchObject({ code: 'server_busy', status: 503 });
    await expect(limiter.run(async () => 'x')).rejects.toBeInstanceOf(AuthError);
    release();
    await blocker;
    expect(await queued).toBe('queued');
  });
});

describe('hashing threads', () => {
  it('run argon2 on worker threads at the configured CPU priority (nice), not on the event loop', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const niceOf = () =>
      readdirSync('/proc/self/task').map((tid) =>
        Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]),
      );
    const before = niceOf().filter((n) => n === 13).length;
    const hasher = createPasswordHasher(params, new Limiter(2, 10), 13);
    await Promise.all([hasher.hash('a'), hasher.hash('b')]);
    expect(niceOf().filter((n) => n === 13).length - before).toBe(2);
    await hasher.close();
    expect(niceOf().filter((n) => n === 13).length).toBe(before);
  });
});
