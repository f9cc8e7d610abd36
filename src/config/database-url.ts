import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where the data lives, as the database URL setting names it (parsed when the settings load). */
export type DatabaseUrl =
  { readonly driver: 'sqlite'; readonly path: string } | { readonly driver: 'postgres'; readonly url: string };

export const DEFAULT_DATABASE_URL: DatabaseUrl = Object.freeze({ driver: 'sqlite', path: './doorman.sqlite3' });

/**
 * `postgres://user:pass@host:5432/db` (or `postgresql://`), `sqlite:<path>`, `sqlite::memory:`,
 * `file:<path>`, or a bare `*.sqlite3` / `*.db` path. Throws one plain line (load.ts adds the
 * setting's name); the message never repeats the URL, which may hold a password.
 */
export function parseDatabaseUrl(value: unknown): DatabaseUrl {
  if (typeof value === 'object' && value !== null && 'driver' in value) return value as DatabaseUrl;
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error('expected postgres://user:password@host:5432/database or sqlite:<path>');
  const text = value.trim();
  if (/^postgres(ql)?:/i.test(text)) return { driver: 'postgres', url: parsePostgres(text) };
  const match = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(text);
  const path = match
    ? match[1]!
    : /^[a-z][a-z0-9+.-]*:\/\//i.test(text)
      ? null
      : /\.(sqlite3?|db)$/i.test(text)
        ? text
        : null;
  if (path === null) {
    throw new Error(
      `unsupported database URL "${text.split(':')[0]}:"; expected postgres://user:password@host:5432/database or sqlite:<path>`,
    );
  }
  if (path === '') throw new Error('sqlite: needs a file path, e.g. sqlite:./doorman.sqlite3 (or sqlite::memory:)');
  return { driver: 'sqlite', path };
}

/**
 * Why a SQLite file cannot be opened at `path` because of its folder, or null. Checked when the
 * database is opened (not when the settings load, which touch no file): a typo in the path must
 * not silently create a new, empty database somewhere unexpected (issue 17), so doorman never
 * creates folders. The default `./doorman.sqlite3` lives in the working directory, which exists.
 */
export function sqliteFolderProblem(path: string): string | null {
  if (path === ':memory:') return null;
  const folder = dirname(path);
  if (!existsSync(folder))
    return `the folder ${folder} of the SQLite file does not exist; create it first (doorman does not create folders)`;
  if (!statSync(folder).isDirectory()) return `${folder} (the folder of the SQLite file) is not a folder`;
  return null;
}

function parsePostgres(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('not a valid postgres:// URL; expected postgres://user:password@host:5432/database');
  }
  if (!url.hostname && !url.searchParams.get('host'))
    throw new Error('the postgres:// URL names no host; expected postgres://user:password@host:5432/database');
  if (url.port && !/^\d+$/.test(url.port)) throw new Error('the postgres:// URL has a bad port');
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/'))
    throw new Error('the postgres:// URL names no database; expected postgres://user:password@host:5432/database');
  return text;
}

/** The URL without its password, for messages and logs. */
export function describeDatabase(database: DatabaseUrl): string {
  if (database.driver === 'sqlite') return `sqlite:${database.path}`;
  const url = new URL(database.url);
  if (url.password) url.password = '***';
  return url.href;
}
