import { createHash } from 'node:crypto';
import { verify } from '@node-rs/bcrypt';

/**
 * Django's bcrypt hashers: `bcrypt$<modular crypt string>` and `bcrypt_sha256$<…>`, the
 * latter bcrypt over the hex SHA-256 of the password (so passwords past bcrypt's 72 bytes
 * still count; Django ticket #20138).
 */
export interface BcryptHash {
  algorithm: 'bcrypt' | 'bcrypt_sha256';
  /** The `$2b$12$…` part, as bcrypt itself reads it. */
  crypt: string;
  cost: number;
}

const CRYPT = /^\$2[abxy]\$(\d\d)\$[./A-Za-z0-9]{53}$/;

export function parseBcrypt(encoded: string): BcryptHash | null {
  const dollar = encoded.indexOf('$');
  const algorithm = encoded.slice(0, dollar);
  if (algorithm !== 'bcrypt' && algorithm !== 'bcrypt_sha256') return null;
  const crypt = encoded.slice(dollar + 1);
  const match = CRYPT.exec(crypt);
  if (!match) return null;
  const cost = Number(match[1]);
  if (cost < 4 || cost > 31) return null;
  return { algorithm, crypt, cost };
}

/** @node-rs/bcrypt compares in constant time and runs off the event loop (libuv's pool). */
export async function verifyBcrypt(parsed: BcryptHash, password: string): Promise<boolean> {
  const input =
    parsed.algorithm === 'bcrypt_sha256' ? createHash('sha256').update(password, 'utf8').digest('hex') : password;
  try {
    return await verify(input, parsed.crypt);
  } catch {
    return false;
  }
}
