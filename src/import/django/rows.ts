import type { Gender, NewUser } from '../../users/types.js';
import { isValidEmail, normalizeEmail } from '../../users/fields.js';

/**
 * A datetime as the driver hands it over: pg gives a Date for timestamptz; Django's SQLite
 * backend stores text, `2024-01-02 03:04:05.123456`, in UTC when USE_TZ is on (the default
 * since Django 5.0, and what the import assumes: a naive value is read as UTC).
 */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!match) return null;
  const millis = (match[3] ?? '').padEnd(3, '0').slice(0, 3);
  const date = new Date(`${match[1]}T${match[2]}.${millis}${match[4] ?? 'Z'}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A DATE column: YYYY-MM-DD text (SQLite, and pg with the import's type parser). */
export function toDay(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : null;
}

/** Gender choices as Django projects commonly spell them: 'male'/'female' or 'M'/'F'. */
export function toGender(value: unknown): Gender | null {
  if (typeof value !== 'string') return null;
  const v = value.trim().toLowerCase();
  if (v === 'male' || v === 'm') return 'male';
  if (v === 'female' || v === 'f') return 'female';
  return null;
}

const flag = (value: unknown, fallback: boolean) =>
  value === null || value === undefined ? fallback : Boolean(Number(value)) || value === true;

export type UserRow = Record<string, unknown> & { id: number | string };

/** A Django user row as doorman's user; a string says why it cannot be imported. */
export function toNewUser(row: UserRow): NewUser | string {
  const email = typeof row.email === 'string' ? normalizeEmail(row.email) : '';
  if (email === '') return 'no e-mail address';
  if (!isValidEmail(email)) return `e-mail "${email}" is not valid`;
  const password = typeof row.password === 'string' && row.password !== '' ? row.password : null;
  const user: NewUser = {
    id: Number(row.id),
    email,
    password,
    firstName: typeof row.first_name === 'string' ? row.first_name.slice(0, 150) : '',
    lastName: typeof row.last_name === 'string' ? row.last_name.slice(0, 150) : '',
    gender: toGender(row.gender),
    dateOfBirth: toDay(row.date_of_birth),
    isActive: flag(row.is_active, true),
    isStaff: flag(row.is_staff, false),
    isSuperuser: flag(row.is_superuser, false),
    lastLogin: toDate(row.last_login),
  };
  const joined = toDate(row.date_joined);
  if (joined) user.dateJoined = joined;
  return user;
}
