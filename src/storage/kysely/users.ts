import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { DuplicateEmailError, type UserStore } from '../ports.js';
import type { Gender, NewUser, User, UserPatch } from '../../users/types.js';
import type { Database, UsersTable } from './db.js';
import { isUniqueViolation } from './errors.js';

export function emailKey(email: string): string {
  return email.toLowerCase();
}

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: Number(row.id),
    email: row.email,
    password: row.password,
    firstName: row.first_name,
    lastName: row.last_name,
    gender: row.gender as Gender | null,
    dateOfBirth: row.date_of_birth,
    isActive: Boolean(row.is_active),
    isStaff: Boolean(row.is_staff),
    isSuperuser: Boolean(row.is_superuser),
    dateJoined: new Date(Number(row.date_joined)),
    lastLogin: row.last_login == null ? null : new Date(Number(row.last_login)),
    credentialsEpoch: Number(row.credentials_epoch),
    emailVerified: Boolean(row.email_verified),
  };
}

function toRow(patch: UserPatch): Updateable<UsersTable> {
  const row: Updateable<UsersTable> = {};
  if (patch.firstName !== undefined) row.first_name = patch.firstName;
  if (patch.lastName !== undefined) row.last_name = patch.lastName;
  if (patch.gender !== undefined) row.gender = patch.gender;
  if (patch.dateOfBirth !== undefined) row.date_of_birth = patch.dateOfBirth;
  if (patch.password !== undefined) row.password = patch.password;
  if (patch.isActive !== undefined) row.is_active = patch.isActive ? 1 : 0;
  if (patch.isStaff !== undefined) row.is_staff = patch.isStaff ? 1 : 0;
  if (patch.isSuperuser !== undefined) row.is_superuser = patch.isSuperuser ? 1 : 0;
  if (patch.lastLogin !== undefined) row.last_login = patch.lastLogin ? patch.lastLogin.getTime() : null;
  if (patch.dateJoined !== undefined) row.date_joined = patch.dateJoined.getTime();
  if (patch.emailVerified !== undefined) row.email_verified = patch.emailVerified ? 1 : 0;
  return row;
}

export function kyselyUserStore(db: Kysely<Database>): UserStore {
  return {
    async create(user: NewUser) {
      try {
        const row = await db
          .insertInto('users')
          .values({
            ...(user.id !== undefined ? { id: user.id } : {}),
            email: user.email,
            email_key: emailKey(user.email),
            password: user.password,
            first_name: user.firstName ?? '',
            last_name: user.lastName ?? '',
            gender: user.gender ?? null,
            date_of_birth: user.dateOfBirth ?? null,
            is_active: user.isActive === false ? 0 : 1,
            is_staff: user.isStaff ? 1 : 0,
            is_superuser: user.isSuperuser ? 1 : 0,
            date_joined: user.dateJoined ? user.dateJoined.getTime() : Date.now(),
            last_login: user.lastLogin ? user.lastLogin.getTime() : null,
            email_verified: user.emailVerified ? 1 : 0,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toUser(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateEmailError();
        throw error;
      }
    },
    async findById(id) {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async findByEmail(email) {
      const row = await db.selectFrom('users').selectAll().where('email_key', '=', emailKey(email)).executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async update(id, patch) {
      const values = toRow(patch);
      if (Object.keys(values).length === 0) return this.findById(id);
      const row = await db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async delete(id) {
      const result = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async changeCredentials(id, password) {
      // One UPDATE: the new hash and the bumped epoch commit together.
      const row = await db
        .updateTable('users')
        .set((eb) => ({ password, credentials_epoch: eb('credentials_epoch', '+', 1) }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toUser(row) : null;
    },
    async count() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async list({ search, offset, limit }) {
      // email_key is already folded; "!" escapes LIKE's wildcards so the search is literal.
      const pattern = search ? `%${emailKey(search).replace(/[!%_]/g, (c) => `!${c}`)}%` : null;
      let query = db.selectFrom('users');
      if (pattern !== null) query = query.where(sql<boolean>`email_key like ${pattern} escape '!'`);
      const [total, rows] = await Promise.all([
        query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        query.selectAll().orderBy('id').limit(limit).offset(offset).execute(),
      ]);
      return { total: Number(total.n), users: rows.map(toUser) };
    },
  };
}
