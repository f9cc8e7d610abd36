import { canonicalEmail } from './email-safety.js';
import { GENDERS, type Gender } from './types.js';

export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 150;
/** Longer passwords are refused before hashing: argon2 would take them, but nobody types 1 KiB. */
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Django's BaseUserManager.normalize_email (trim, domain in lower case), and more: NFKC and
 * the domain in its ASCII (UTS #46) form, so look-alike spellings are one account (email-safety.ts).
 */
export function normalizeEmail(email: string): string {
  return canonicalEmail(email).email;
}

/** Why `email` cannot be registered as it is written (invisible characters, deceptive domain), or null. */
export function emailProblem(email: string): string | null {
  return canonicalEmail(email).problem;
}

const LOCAL_PART = /^[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9A-Za-z]+)*$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** Django's EmailValidator, in short: a dot-atom local part and a domain of valid labels with a TLD. */
export function isValidEmail(email: string): boolean {
  if (email.length > EMAIL_MAX_LENGTH) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return false;
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l))) return false;
  return /^(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/iu.test(labels.at(-1)!);
}

/** A real calendar date written YYYY-MM-DD (DRF DateField's ISO input). */
export function isValidDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [y, m, d] = match.slice(1).map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const DATE_FORMAT_ERROR = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.';

/** Field errors for a date of birth, or null when it is acceptable. */
export function dateOfBirthError(value: string, today: Date): string | null {
  if (!isValidDate(value)) return DATE_FORMAT_ERROR;
  if (value > today.toISOString().slice(0, 10)) return 'Date of birth cannot be in the future.';
  return null;
}

export function isGender(value: unknown): value is Gender {
  return typeof value === 'string' && (GENDERS as readonly string[]).includes(value);
}
