import { parseDjangoArgon2 } from './argon2.js';
import { parseBcrypt, verifyBcrypt } from './bcrypt.js';
import { parsePbkdf2, verifyPbkdf2 } from './pbkdf2.js';

/** The hash families doorman verifies; only 'doorman' (argon2id PHC) is ever written. */
export type HashFamily =
  'doorman' | 'unusable' | 'pbkdf2_sha256' | 'pbkdf2_sha1' | 'argon2' | 'bcrypt_sha256' | 'bcrypt' | 'unknown';

/** Django's UNUSABLE_PASSWORD_PREFIX: set_unusable_password() writes `!` and random characters. */
export const UNUSABLE_PREFIX = '!';

/** The family a stored hash belongs to, from its prefix (the algorithm it records). */
export function hashFamily(encoded: string): HashFamily {
  if (encoded.startsWith(UNUSABLE_PREFIX)) return 'unusable';
  if (encoded.startsWith('$argon2id$')) return 'doorman';
  const algorithm = encoded.slice(0, Math.max(0, encoded.indexOf('$')));
  switch (algorithm) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1':
    case 'argon2':
    case 'bcrypt_sha256':
    case 'bcrypt':
      return algorithm;
    default:
      return 'unknown';
  }
}

/** How argon2 PHC strings are verified: on doorman's worker pool (passwords/worker-pool.ts). */
export type VerifyPhc = (phc: string, password: string) => Promise<boolean>;

/**
 * Verifies a hash Django wrote, dispatching on the algorithm and parameters it records.
 * False for a wrong password, an unusable password, and anything it cannot read (a
 * malformed hash, parameters out of bounds, an algorithm Django never shipped); it never throws.
 */
export async function verifyDjangoHash(encoded: string, password: string, verifyPhc: VerifyPhc): Promise<boolean> {
  switch (hashFamily(encoded)) {
    case 'pbkdf2_sha256':
    case 'pbkdf2_sha1': {
      const parsed = parsePbkdf2(encoded);
      return parsed !== null && verifyPbkdf2(parsed, password);
    }
    case 'argon2': {
      const parsed = parseDjangoArgon2(encoded);
      return parsed !== null && verifyPhc(parsed.phc, password);
    }
    case 'bcrypt_sha256':
    case 'bcrypt': {
      const parsed = parseBcrypt(encoded);
      return parsed !== null && verifyBcrypt(parsed, password);
    }
    default:
      return false;
  }
}
