import { statSync } from 'node:fs';
import { isSymmetric } from '../keys/material.js';
import type { JwtAlgorithm } from '../keys/algorithms.js';

/**
 * Words of placeholder secrets copied from examples and tutorials. None shorter than five
 * letters: a random 86-character key contains a given four-letter word once in ~12,000 keys.
 */
const PLACEHOLDERS = [
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'password',
  'insecure',
  'example',
  'default',
  'replace',
  'your-',
  'dummy',
  'sample',
  'doorman',
  'django',
];

/** Shannon entropy of the text, in bits (per-character frequencies times length): a generous estimate. */
function entropyBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...text].length;
  let perChar = 0;
  for (const c of counts.values()) perChar -= (c / n) * Math.log2(c / n);
  return perChar * n;
}

/**
 * Why a shared secret is too weak for production, or null. Refused: placeholders
 * ("changeme-changeme-..."), a short unit repeated, fewer than 10 distinct characters,
 * or under 128 bits by the entropy estimate. 64 random bytes in base64url (what doorman's
 * error message suggests) pass with a wide margin (~500 bits).
 */
export function weakSecretProblem(secret: string): string | null {
  const lower = secret.toLowerCase();
  const word = PLACEHOLDERS.find((w) => lower.includes(w));
  if (word) return `looks like a placeholder (contains "${word}")`;
  if (/^(.{1,32}?)\1+.{0,32}$/s.test(secret)) return 'is a short pattern repeated';
  if (new Set(secret).size < 10) return 'uses fewer than 10 distinct characters';
  if (entropyBits(secret) < 128) return 'has too little entropy (under 128 bits estimated)';
  return null;
}

/** Why a key file is unsafe (readable by group or others), or null. */
export function keyFileProblem(path: string): string | null {
  try {
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) return `${path} is readable by others (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 it`;
  } catch {
    return null; // a missing file is reported where it is read
  }
  return null;
}

export interface ProductionView {
  environment: string;
  algorithm: JwtAlgorithm;
  signingKey: string;
  signingKeyFile: string | null;
  keystoreFile: string | null;
  csrfSecret: string | null;
  cookieSecure: boolean;
}

/**
 * Production refuses what would be silently unsafe: key files others can read, weak shared
 * secrets, and cookies sent over plain http. Answers [setting, message] for the first problem.
 */
export function productionProblem(c: ProductionView): [string, string] | null {
  if (c.environment !== 'production') return null;
  for (const [key, file] of [
    ['signingKeyFile', c.signingKeyFile],
    ['keystoreFile', c.keystoreFile],
  ] as const) {
    const problem = file ? keyFileProblem(file) : null;
    if (problem) return [key, problem];
  }
  if (c.keystoreFile === null && isSymmetric(c.algorithm)) {
    const problem = weakSecretProblem(c.signingKey);
    if (problem)
      return [
        'signingKey',
        `${problem}. Generate one with: node -e "console.log(require('crypto').randomBytes(64).toString('base64url'))"`,
      ];
  }
  if (c.csrfSecret !== null) {
    const problem = weakSecretProblem(c.csrfSecret);
    if (problem) return ['csrfSecret', problem];
  }
  if (!c.cookieSecure)
    return ['cookieSecure', 'must stay on in production: cookies sent over plain http can be read and replayed'];
  return null;
}
