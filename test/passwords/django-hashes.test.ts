import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { hashFamily } from '../../src/passwords/hashers/dispatch.js';
import { createPasswordHasher } from '../../src/passwords/hash.js';
import { Limiter } from '../../src/passwords/limiter.js';
import { memoryStorage } from '../../src/storage/memory/index.js';
import { createAccounts } from '../../src/users/accounts.js';
import { testApp } from '../helpers.js';

/** Made by Django 3.2 itself (scripts/django-fixtures.py). */
const fixture = JSON.parse(readFileSync(new URL('../fixtures/django/hashes.json', import.meta.url), 'utf8')) as {
  hashes: Array<{ name: string; password: string; encoded: string }>;
};
const usable = fixture.hashes.filter((h) => h.name !== 'unusable');
const unusable = fixture.hashes.find((h) => h.name === 'unusable')!;

describe("Django's password hashes, verified as they are", () => {
  const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }, new Limiter(2, 100));
  afterAll(() => hasher.close());

  it('the fixture covers every hasher the issue names', () => {
    expect(fixture.hashes.map((h) => h.name)).toEqual([
      'pbkdf2_sha256',
      'pbkdf2_sha1',
      'argon2id',
      'argon2i',
      'bcrypt_sha256',
      'bcrypt',
      'unusable',
    ]);
  });

  for (const { name, password, encoded } of usable) {
    it(`${name}: the right password verifies, a wrong one does not, and it asks for a rehash`, async () => {
      expect(await hasher.verify(encoded, password)).toBe(true);
      expect(await hasher.verify(encoded, `${password}x`)).toBe(false);
      expect(await hasher.verify(encoded, '')).toBe(false);
      expect(hasher.needsRehash(encoded)).toBe(true);
    });
  }

  it('bcrypt_sha256 counts past 72 bytes (the SHA-256 comes first)', async () => {
    const sha = usable.find((h) => h.name === 'bcrypt_sha256')!;
    expect(sha.password.length).toBeGreaterThan(72);
    expect(await hasher.verify(sha.encoded, `${sha.password.slice(0, 72)}different tail`)).toBe(false);
  });

  it('an unusable password (`!…`) never verifies, not even with its own text or an empty password', async () => {
    expect(hashFamily(unusable.encoded)).toBe('unusable');
    expect(await hasher.verify(unusable.encoded, '')).toBe(false);
    expect(await hasher.verify(unusable.encoded, unusable.encoded)).toBe(false);
    expect(await hasher.verify(unusable.encoded, unusable.encoded.slice(1))).toBe(false);
  });

  it('a tampered hash is refused, never thrown: changed digest, parameters, or algorithm name', async () => {
    const pbkdf2 = usable.find((h) => h.name === 'pbkdf2_sha256')!;
    const [alg, iterations, salt, digest] = pbkdf2.encoded.split('$') as [string, string, string, string];
    const cases = [
      `${alg}$${iterations}$${salt}$${digest.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
      `${alg}$${Number(iterations) - 1}$${salt}$${digest}`,
      `pbkdf2_sha1$${iterations}$${salt}$${digest}`,
      `${alg}$999999999$${salt}$${digest}`,
      `${alg}$-1$${salt}$${digest}`,
      `${alg}$${iterations}$$${digest}`,
      `md5$${salt}$${digest}`,
      `argon2$argon2id$v=19$m=99999999,t=2,p=8$c2FsdHNhbHQ$aGFzaGhhc2g`,
      'bcrypt$$2b$99$ClUcxdjE13oXu6Phj/3z1uR8TF8mRTcSGJElFozv963gVlJ10DvEq',
      'argon2$argon2d$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
      '',
    ];
    for (const encoded of cases) expect(await hasher.verify(encoded, pbkdf2.password), encoded).toBe(false);
  });

  it('names each family by the algorithm the hash records', () => {
    expect(usable.map((h) => hashFamily(h.encoded))).toEqual([
      'pbkdf2_sha256',
      'pbkdf2_sha1',
      'argon2',
      'argon2',
      'bcrypt_sha256',
      'bcrypt',
    ]);
  });
});

describe('upgrade to argon2id at the next successful login', () => {
  for (const { name, password, encoded } of usable) {
    it(`${name}: login stores doorman's argon2id; the old password keeps working; the Django hash is gone`, async () => {
      const t = await testApp();
      try {
        const user = await t.storage.users.create({ email: 'django@example.com', password: encoded });
        const wrong = await t.app.inject({
          method: 'POST',
          url: '/account/login/',
          payload: { email: 'django@example.com', password: 'nope nope' },
        });
        expect(wrong.statusCode).toBe(400);
        expect((await t.storage.users.findById(user.id))!.password).toBe(encoded);

        const first = await t.app.inject({
          method: 'POST',
          url: '/account/login/',
          payload: { email: 'django@example.com', password },
        });
        expect(first.statusCode).toBe(200);
        const upgraded = (await t.storage.users.findById(user.id))!.password!;
        expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
        expect(upgraded).not.toBe(encoded);

        const again = await t.app.inject({
          method: 'POST',
          url: '/account/login/',
          payload: { email: 'django@example.com', password },
        });
        expect(again.statusCode).toBe(200);
        expect((await t.storage.users.findById(user.id))!.password).toBe(upgraded);
      } finally {
        await t.close();
      }
    });
  }

  it('a user with an unusable password cannot log in with any password', async () => {
    const t = await testApp();
    try {
      await t.storage.users.create({ email: 'social@example.com', password: unusable.encoded });
      const response = await t.app.inject({
        method: 'POST',
        url: '/account/login/',
        payload: { email: 'social@example.com', password: unusable.encoded },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
    } finally {
      await t.close();
    }
  });
});

describe('login timing: no refusal skips the hashing work', () => {
  /** Counts hash computations (each one goes through the limiter). */
  class CountingLimiter extends Limiter {
    runs = 0;
    override run<T>(task: () => Promise<T>): Promise<T> {
      this.runs++;
      return super.run(task);
    }
  }

  it('an unknown e-mail, a wrong password and an unusable password each cost one argon2id verification', async () => {
    const limiter = new CountingLimiter(2, 100);
    const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 }, limiter);
    const storage = memoryStorage();
    const accounts = createAccounts({
      users: storage.users,
      hasher,
      policy: { validators: [], minLength: 8, maxSimilarity: 0.7 },
      updateLastLogin: false,
      revocation: { userChanged: async () => {}, revokeUserSessions: async () => 0 },
      oneTimeTokens: storage.oneTimeTokens,
      requireVerifiedEmail: false,
      now: Date.now,
    });
    try {
      await storage.users.create({ email: 'native@example.com', password: await hasher.hash('right password') });
      await storage.users.create({ email: 'unusable@example.com', password: unusable.encoded });
      await accounts.authenticate('warm-up@example.com', 'x'); // hashes the dummy once
      const cost = async (email: string) => {
        const before = limiter.runs;
        expect(await accounts.authenticate(email, 'wrong password')).toBeNull();
        return limiter.runs - before;
      };
      expect([
        await cost('nobody@example.com'),
        await cost('native@example.com'),
        await cost('unusable@example.com'),
      ]).toEqual([1, 1, 1]);
    } finally {
      await hasher.close();
    }
  });
});
