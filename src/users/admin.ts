import { AuthError } from '../errors/auth-error.js';
import type { Revocation } from '../revocation/revocation.js';
import type { UserStore } from '../storage/ports.js';
import type { Accounts } from './accounts.js';
import type { User } from './types.js';

/** What the admin API shows of a user (Django admin's columns; never the hash). */
export interface AdminUserView {
  pk: number;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
  date_joined: string;
  last_login: string | null;
}

/** DRF's PageNumberPagination body. */
export interface AdminUserPage {
  count: number;
  next: number | null;
  previous: number | null;
  results: AdminUserView[];
}

export interface AdminUserChange {
  is_active?: boolean;
  is_staff?: boolean;
  is_superuser?: boolean;
}

/** Who is acting: only a superuser grants staff or superuser, or touches a superuser. */
export interface Actor {
  id: number;
  isSuperuser: boolean;
}

export const ADMIN_PAGE_SIZE = 25;

export function toAdminView(user: User): AdminUserView {
  return {
    pk: user.id,
    email: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    is_active: user.isActive,
    is_staff: user.isStaff,
    is_superuser: user.isSuperuser,
    date_joined: user.dateJoined.toISOString(),
    last_login: user.lastLogin ? user.lastLogin.toISOString() : null,
  };
}

/**
 * Django admin's user screens as domain operations: list and search, create, activate or
 * deactivate (a deactivated user's sessions end at once), staff and superuser flags
 * (superusers only: staff status decides who may use the admin at all), delete.
 */
/** What the admin needs of the sessions (sessions/sessions.ts). */
export interface SessionsOfUsers {
  list(
    userId: number,
    currentSessionId: string | null,
  ): Promise<
    Array<{
      id: string;
      created: string;
      last_used: string;
      user_agent: string | null;
      ip: string | null;
      current: boolean;
    }>
  >;
  end(userId: number, sessionId: string): Promise<void>;
}

export function createUserAdmin(deps: {
  users: UserStore;
  accounts: Accounts;
  revocation: Revocation;
  sessions: SessionsOfUsers;
}) {
  const { users, accounts, revocation, sessions } = deps;

  async function find(id: number): Promise<User> {
    const user = await users.findById(id);
    if (!user) throw new AuthError('not_found');
    return user;
  }

  /** A staff member who is not a superuser may not change or delete a superuser (who could then lock them out). */
  function mayTouch(actor: Actor, user: User): void {
    if (user.isSuperuser && !actor.isSuperuser) throw new AuthError('permission_denied');
  }

  return {
    async list(search: string, page: number): Promise<AdminUserPage> {
      const offset = (page - 1) * ADMIN_PAGE_SIZE;
      const { total, users: found } = await users.list({ search, offset, limit: ADMIN_PAGE_SIZE });
      // DRF answers a page past the end with 404 "Invalid page." (page 1 always exists).
      if (page > 1 && offset >= total) throw new AuthError('not_found', { detail: 'Invalid page.' });
      return {
        count: total,
        next: offset + ADMIN_PAGE_SIZE < total ? page + 1 : null,
        previous: page > 1 ? page - 1 : null,
        results: found.map(toAdminView),
      };
    },

    get: async (id: number): Promise<AdminUserView> => toAdminView(await find(id)),

    /** Creates an active user with the password validators of join (Django's UserCreationForm). */
    async create(email: string, password: string): Promise<AdminUserView> {
      return toAdminView(await accounts.register({ email, password1: password, password2: password }));
    },

    async change(actor: Actor, id: number, change: AdminUserChange): Promise<AdminUserView> {
      let user = await find(id);
      mayTouch(actor, user);
      const flags = change.is_staff !== undefined || change.is_superuser !== undefined;
      if (flags && !actor.isSuperuser)
        throw new AuthError('permission_denied', {
          detail: 'Only a superuser can grant or take away staff or superuser status.',
        });
      if (flags) {
        const updated = await users.update(id, {
          ...(change.is_staff !== undefined ? { isStaff: change.is_staff } : {}),
          ...(change.is_superuser !== undefined ? { isSuperuser: change.is_superuser } : {}),
        });
        if (!updated) throw new AuthError('not_found');
        // Every process drops its cached view of the user (admin rights come from it).
        await revocation.userChanged(updated);
        user = updated;
      }
      if (change.is_active !== undefined && change.is_active !== user.isActive)
        user = (await accounts.setActive(user, change.is_active)).user;
      return toAdminView(user);
    },

    /** A user's live sessions, newest first (none is "current": they are someone else's). */
    async sessions(id: number) {
      await find(id);
      return (await sessions.list(id, null)).map(({ current: _current, ...rest }) => rest);
    },

    /** Ends one of a user's sessions: its tokens are refused at once here, within a poll elsewhere. */
    async endSession(actor: Actor, id: number, sessionId: string): Promise<void> {
      mayTouch(actor, await find(id));
      await sessions.end(id, sessionId);
    },

    /** Ends every session first (their access tokens are refused at once), then deletes. */
    async delete(actor: Actor, id: number): Promise<void> {
      const user = await find(id);
      mayTouch(actor, user);
      await revocation.revokeUserSessions(id);
      await revocation.userChanged(user);
      await users.delete(id);
    },
  };
}

export type UserAdmin = ReturnType<typeof createUserAdmin>;
