import type { NewUser, User, UserPatch } from '../users/types.js';

/**
 * Narrow, domain-shaped storage ports (Lucia's adapter idea): each method is one thing the
 * domain needs, so every backend (memory, SQLite, PostgreSQL) implements the same small
 * surface and passes the same conformance suite (test/storage/conformance.ts).
 */

export class DuplicateEmailError extends Error {
  constructor() {
    super('A user with that e-mail already exists.');
    this.name = 'DuplicateEmailError';
  }
}

/**
 * The database cannot answer now (PostgreSQL unreachable, a SQLite write lock held by another
 * process past databaseBusyTimeout). Nothing was changed by the failed call; the caller may try
 * again. HTTP answers 503 service_unavailable.
 */
export class StorageUnavailableError extends Error {
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'StorageUnavailableError';
  }
}

export interface UserStore {
  /** Throws DuplicateEmailError when the e-mail is taken (case-insensitively). */
  create(user: NewUser): Promise<User>;
  findById(id: number): Promise<User | null>;
  /** Case-insensitive on the whole address. */
  findByEmail(email: string): Promise<User | null>;
  /** Returns the updated user, or null when there is no such user. */
  update(id: number, patch: UserPatch): Promise<User | null>;
  delete(id: number): Promise<boolean>;
  count(): Promise<number>;
}

export type StoredTokenType = 'refresh' | 'sliding';

/** An issued refresh (or sliding) token, by jti: the raw token is never stored (simplejwt #373). */
export interface OutstandingToken {
  jti: string;
  userId: number;
  /** The session (token family) this token belongs to; rotation keeps it. */
  sessionId: string;
  tokenType: StoredTokenType;
  createdAt: Date;
  expiresAt: Date;
  /** When it was blacklisted (rotated, logged out, revoked); null while it is usable. */
  revokedAt: Date | null;
}

export interface TokenStore {
  record(token: OutstandingToken): Promise<void>;
  find(jti: string): Promise<OutstandingToken | null>;
  /**
   * Blacklists the token if it is still usable and says whether THIS call did it. Of any
   * number of concurrent calls for one jti, exactly one gets true: exactly-once rotation.
   */
  consume(jti: string, at: Date): Promise<boolean>;
  /**
   * Rotation in one atomic step: consumes `jti` (as consume) and, only if this call
   * consumed it, records `successor`. A crash can never leave a spent token without its
   * successor, and of concurrent rotations of one token exactly one gets true.
   */
  rotate(jti: string, successor: OutstandingToken, at: Date): Promise<boolean>;
  /** Blacklists the token (idempotent); false when the jti is unknown. */
  revoke(jti: string, at: Date): Promise<boolean>;
  /** Blacklists every usable token of the family; returns how many. */
  revokeSession(sessionId: string, at: Date): Promise<number>;
  /** The families of the user that still have a usable, unexpired token. */
  liveSessions(userId: number, now: Date): Promise<string[]>;
  /** Blacklists every usable token of the user; returns how many. */
  revokeAllForUser(userId: number, at: Date): Promise<number>;
  /** Deletes rows whose expiry has passed (flushexpiredtokens); returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

/** What changed, for every process's in-memory revocation view (see revocation/view.ts). */
export type AuthEvent =
  | { kind: 'session_revoked'; subject: string; expiresAt: Date }
  | { kind: 'user_changed'; subject: string; expiresAt: Date }
  /** Some grant, group or membership changed: every process drops its cached permissions. */
  | { kind: 'permissions_changed'; subject: string; expiresAt: Date };

export interface StoredAuthEvent {
  id: number;
  event: AuthEvent;
}

export interface EventStore {
  append(event: AuthEvent): Promise<number>;
  /** Events after `cursor`, oldest first. */
  since(cursor: number, limit: number): Promise<StoredAuthEvent[]>;
  /** Revoked sessions that still matter at `now` (for a process starting up). */
  activeSessionRevocations(now: Date): Promise<Array<{ sessionId: string; expiresAt: Date }>>;
  /** The newest event id (0 when there is none). */
  latest(): Promise<number>;
  /**
   * Backends that can push (PostgreSQL LISTEN/NOTIFY) call `wake` soon after any process
   * appends an event, and after a lost connection comes back (events may have been missed:
   * the reader catches up with `since`). Backends without it are polled.
   */
  listen?(wake: () => void, onError: (error: unknown) => void): { close(): Promise<void> };
  deleteExpired(now: Date): Promise<number>;
}

export class DuplicateGroupError extends Error {
  constructor() {
    super('A group with that name already exists.');
    this.name = 'DuplicateGroupError';
  }
}

/** A Django auth group: a name that users belong to and permissions are granted to. */
export interface Group {
  id: number;
  name: string;
}

/**
 * Django's model permissions: groups, and permissions (`<app_label>.<codename>`, already
 * validated by the caller) granted to groups and to users directly. Unknown user or group ids
 * are not an error: the call changes nothing and answers false.
 */
export interface PermissionStore {
  /** Throws DuplicateGroupError when the name is taken (exactly, like Django's unique name). */
  createGroup(name: string): Promise<Group>;
  findGroup(name: string): Promise<Group | null>;
  /** Every group with its permissions, by name. */
  listGroups(): Promise<Array<Group & { permissions: string[] }>>;
  deleteGroup(groupId: number): Promise<boolean>;
  /** True when this call added the grant. */
  grantToGroup(groupId: number, permission: string): Promise<boolean>;
  revokeFromGroup(groupId: number, permission: string): Promise<boolean>;
  grantToUser(userId: number, permission: string): Promise<boolean>;
  revokeFromUser(userId: number, permission: string): Promise<boolean>;
  addToGroup(userId: number, groupId: number): Promise<boolean>;
  removeFromGroup(userId: number, groupId: number): Promise<boolean>;
  groupsOf(userId: number): Promise<Group[]>;
  /** The user's own permissions and those of their groups: distinct, sorted. */
  permissionsOf(userId: number): Promise<string[]>;
  /** The user's own permissions only (not through groups), sorted. */
  userPermissions(userId: number): Promise<string[]>;
}

/**
 * Which doorman user each imported Django user became (`doorman import-django`). The simplejwt
 * transition reads it to map a Django token's user_id: a doorman user who merely has the same
 * id as some Django user is never taken for them.
 */
export interface DjangoLinkStore {
  /** Records the link, or moves it to `userId` (idempotent). */
  link(djangoId: number, userId: number): Promise<void>;
  /** The doorman user id, or null when that Django user was never imported (or was deleted since). */
  userFor(djangoId: number): Promise<number | null>;
}

export interface Storage {
  users: UserStore;
  tokens: TokenStore;
  events: EventStore;
  permissions: PermissionStore;
  djangoLinks: DjangoLinkStore;
  /** Runs pending migrations (forward-only); returns the names of those it applied. */
  migrate(): Promise<string[]>;
  /** For GET /readyz: null when the database answers and its migrations are current, else why not. */
  unready(): Promise<string | null>;
  close(): Promise<void>;
}
