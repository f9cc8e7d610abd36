import { readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

/**
 * A Django 3.2 database as `manage.py migrate` leaves it for a project whose user model is
 * `accounts.CustomUser(AbstractUser)` with `username = None`, a unique e-mail, gender and
 * date_of_birth. The SQLite DDL is Django's own (`sqlmigrate`, final state); the PostgreSQL
 * DDL is its translation with Django's PostgreSQL column types.
 */
const SQLITE_DDL = `
CREATE TABLE "django_content_type" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL);
CREATE UNIQUE INDEX "django_content_type_app_label_model_76bd3d3b_uniq" ON "django_content_type" ("app_label", "model");
CREATE TABLE "auth_permission" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL);
CREATE TABLE "auth_group" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "name" varchar(150) NOT NULL UNIQUE);
CREATE TABLE "auth_group_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "accounts_customuser" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "password" varchar(128) NOT NULL, "last_login" datetime NULL, "is_superuser" bool NOT NULL, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "is_staff" bool NOT NULL, "is_active" bool NOT NULL, "date_joined" datetime NOT NULL, "email" varchar(254) NOT NULL UNIQUE, "gender" varchar(6) NULL, "date_of_birth" date NULL);
CREATE TABLE "accounts_customuser_groups" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "customuser_id" bigint NOT NULL REFERENCES "accounts_customuser" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "accounts_customuser_user_permissions" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "customuser_id" bigint NOT NULL REFERENCES "accounts_customuser" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED);
`;

const POSTGRES_DDL = `
CREATE TABLE "django_content_type" ("id" serial NOT NULL PRIMARY KEY, "app_label" varchar(100) NOT NULL, "model" varchar(100) NOT NULL);
CREATE TABLE "auth_permission" ("id" serial NOT NULL PRIMARY KEY, "content_type_id" integer NOT NULL REFERENCES "django_content_type" ("id") DEFERRABLE INITIALLY DEFERRED, "codename" varchar(100) NOT NULL, "name" varchar(255) NOT NULL);
CREATE TABLE "auth_group" ("id" serial NOT NULL PRIMARY KEY, "name" varchar(150) NOT NULL UNIQUE);
CREATE TABLE "auth_group_permissions" ("id" bigserial NOT NULL PRIMARY KEY, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "accounts_customuser" ("id" bigserial NOT NULL PRIMARY KEY, "password" varchar(128) NOT NULL, "last_login" timestamp with time zone NULL, "is_superuser" boolean NOT NULL, "first_name" varchar(150) NOT NULL, "last_name" varchar(150) NOT NULL, "is_staff" boolean NOT NULL, "is_active" boolean NOT NULL, "date_joined" timestamp with time zone NOT NULL, "email" varchar(254) NOT NULL UNIQUE, "gender" varchar(6) NULL, "date_of_birth" date NULL);
CREATE TABLE "accounts_customuser_groups" ("id" bigserial NOT NULL PRIMARY KEY, "customuser_id" bigint NOT NULL REFERENCES "accounts_customuser" ("id") DEFERRABLE INITIALLY DEFERRED, "group_id" integer NOT NULL REFERENCES "auth_group" ("id") DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE "accounts_customuser_user_permissions" ("id" bigserial NOT NULL PRIMARY KEY, "customuser_id" bigint NOT NULL REFERENCES "accounts_customuser" ("id") DEFERRABLE INITIALLY DEFERRED, "permission_id" integer NOT NULL REFERENCES "auth_permission" ("id") DEFERRABLE INITIALLY DEFERRED);
`;

export const hashes = Object.fromEntries(
  (
    JSON.parse(readFileSync(new URL('../fixtures/django/hashes.json', import.meta.url), 'utf8')) as {
      hashes: Array<{ name: string; password: string; encoded: string }>;
    }
  ).hashes.map((h) => [h.name, h]),
) as Record<string, { password: string; encoded: string }>;

/** Rows as Django writes them (SQLite: datetimes as UTC text, booleans as 0/1). */
export const SEED: Array<[string, Record<string, unknown>]> = [
  ['django_content_type', { id: 1, app_label: 'auth', model: 'group' }],
  ['django_content_type', { id: 7, app_label: 'board', model: 'post' }],
  ['auth_permission', { id: 1, content_type_id: 1, codename: 'view_group', name: 'Can view group' }],
  ['auth_permission', { id: 25, content_type_id: 7, codename: 'add_post', name: 'Can add post' }],
  ['auth_permission', { id: 26, content_type_id: 7, codename: 'change_post', name: 'Can change post' }],
  ['auth_permission', { id: 27, content_type_id: 7, codename: 'delete_post', name: 'Can delete post' }],
  ['auth_group', { id: 1, name: 'editors' }],
  ['auth_group', { id: 2, name: 'moderators' }],
  ['auth_group_permissions', { id: 1, group_id: 1, permission_id: 25 }],
  ['auth_group_permissions', { id: 2, group_id: 1, permission_id: 26 }],
  ['auth_group_permissions', { id: 3, group_id: 2, permission_id: 27 }],
  [
    'accounts_customuser',
    user(1, 'kim@EXAMPLE.com', hashes.pbkdf2_sha256!.encoded, {
      first_name: 'Minji',
      last_name: 'Kim',
      gender: 'female',
      date_of_birth: '1999-02-03',
      last_login: '2024-01-02 03:04:05.678901',
    }),
  ],
  ['accounts_customuser', user(2, 'admin@example.com', hashes.bcrypt!.encoded, { is_staff: 1, is_superuser: 1 })],
  ['accounts_customuser', user(3, 'gone@example.com', hashes.unusable!.encoded, { is_active: 0, gender: 'M' })],
  ['accounts_customuser', user(4, 'not an e-mail', hashes.pbkdf2_sha1!.encoded, {})],
  [
    'accounts_customuser',
    user(42, 'lee@example.com', hashes.argon2id!.encoded, { first_name: 'Jisoo', last_name: 'Lee' }),
  ],
  ['accounts_customuser_groups', { id: 1, customuser_id: 1, group_id: 1 }],
  ['accounts_customuser_groups', { id: 2, customuser_id: 2, group_id: 2 }],
  ['accounts_customuser_groups', { id: 3, customuser_id: 4, group_id: 1 }],
  ['accounts_customuser_user_permissions', { id: 1, customuser_id: 1, permission_id: 27 }],
  ['accounts_customuser_user_permissions', { id: 2, customuser_id: 42, permission_id: 1 }],
];

function user(id: number, email: string, password: string, extra: Record<string, unknown>) {
  return {
    id,
    email,
    password,
    first_name: '',
    last_name: '',
    gender: null,
    date_of_birth: null,
    is_active: 1,
    is_staff: 0,
    is_superuser: 0,
    date_joined: '2020-05-06 07:08:09.123456',
    last_login: null,
    ...extra,
  };
}

function insert(table: string, row: Record<string, unknown>, placeholder: (i: number) => string) {
  const columns = Object.keys(row);
  return {
    sql: `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => placeholder(i)).join(', ')})`,
    values: Object.values(row),
  };
}

/** A Django-shaped SQLite file at `path`, with SEED. */
export function createDjangoSqlite(path: string, seed = SEED): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  db.exec(SQLITE_DDL);
  for (const [table, row] of seed) {
    const { sql, values } = insert(table, row, () => '?');
    db.prepare(sql).run(...values);
  }
  return db;
}

const PG_BOOLEAN = new Set(['is_active', 'is_staff', 'is_superuser']);

/** The same on PostgreSQL (booleans as booleans; datetimes given in UTC). */
export async function createDjangoPostgres(client: pg.Client, seed = SEED): Promise<void> {
  await client.query(POSTGRES_DDL);
  for (const [table, raw] of seed) {
    const row = Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [
        k,
        PG_BOOLEAN.has(k) ? Boolean(v) : typeof v === 'string' && /^\d{4}-\d\d-\d\d \d/.test(v) ? `${v}+00` : v,
      ]),
    );
    const { sql, values } = insert(table, row, (i) => `$${i + 1}`);
    await client.query(sql, values);
  }
}
