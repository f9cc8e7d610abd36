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
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
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
  /**
   * Sets a new password hash and bumps the user's credentials epoch in one write, so every
   * session opened with the old password (including logins still in flight) can be told apart.
   */
  changeCredentials(id: number, password: string | null): Promise<User | null>;
  /**
   * A page of users by id (the admin UI's list): `search` matches anywhere in the e-mail,
   * case-insensitively and literally (% and _ are plain characters); `total` counts every match.
   */
  list(query: UserListQuery): Promise<{ total: number; users: User[] }>;
}

export interface UserListQuery {
  search?: string;
  offset: number;
  limit: number;
}

export type StoredTokenType = 'refresh' | 'sliding';

/**
 * A session: one login (or join, or token obtain) and everything issued from it. Storage grows
 * with sessions, not with rotations: a refresh rotates the session's current jti in place, so a
 * client refreshing a thousand times a second keeps one row. The raw token is never stored
 * (simplejwt #373), only the jti of the one refresh (or sliding) token that may be used now.
 *
 * Spent-token detection stays exact: a validly signed refresh token of this session whose jti is
 * not `currentJti` was rotated away (or is a copy of one that was), which is a reuse.
 */
export interface Session {
  id: string;
  userId: number;
  tokenType: StoredTokenType;
  /** The jti of the session's usable refresh (or sliding) token. */
  currentJti: string;
  /** The jti `currentJti` replaced at the last rotation, and when (the reuse grace window). */
  previousJti: string | null;
  rotatedAt: Date | null;
  createdAt: Date;
  /** Moves at refresh only, never per request. */
  lastUsedAt: Date;
  /** When the current refresh (or sliding) token stops being refreshable. */
  expiresAt: Date;
  /** When the session ended (logout, reuse, password change, …); null while it is live. */
  revokedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
  /** The user's credentials epoch when the session was opened (a password change bumps it). */
  credentialsEpoch: number;
}

export type NewSession = Omit<Session, 'previousJti' | 'rotatedAt' | 'revokedAt' | 'lastUsedAt'>;

export interface SessionStore {
  /** Records a new session (its id is new: time-ordered and random). */
  create(session: NewSession): Promise<void>;
  find(id: string): Promise<Session | null>;
  /**
   * Rotation in one atomic step: if the session is live and its current jti is `fromJti`, the
   * current jti becomes `next.jti` (the old one is kept as previousJti), and expiry and last use
   * move. Of any number of concurrent rotations from one jti exactly one gets true.
   */
  rotate(id: string, fromJti: string, next: { jti: string; expiresAt: Date }, at: Date): Promise<boolean>;
  /** Moves last use of a live session (a refresh that does not rotate). */
  touch(id: string, at: Date): Promise<void>;
  /**
   * Ends the session if it is live and appends `events` (its `session_revoked`, and a
   * `refresh_reuse` when that is why) in ONE transaction: both are written or neither is, so a
   * process dying between the two cannot leave a revoked row that other processes never hear
   * of (they would accept its access tokens until they expire). The events are appended even
   * when the session had ended already: a refresh racing the first revocation may have issued
   * an access token since, and the event is what other processes refuse it by. On PostgreSQL
   * the NOTIFY goes out with the commit. True when this call ended the session.
   */
  revoke(id: string, at: Date, events: AuthEvent[]): Promise<boolean>;
  /** The user's live (not revoked, not expired) sessions, newest first. */
  live(userId: number, now: Date): Promise<Session[]>;
  /**
   * Ends every live session of the user and appends a `session_revoked` event for each, whose
   * `expiresAt` is `eventsExpireAt`, in ONE transaction (see `revoke`); returns their ids.
   */
  revokeAllForUser(userId: number, at: Date, eventsExpireAt: Date): Promise<string[]>;
  /** Deletes sessions whose expiry has passed (flushexpiredtokens); returns how many. */
  deleteExpired(now: Date): Promise<number>;
}

/** What changed, for every process's in-memory revocation view (see revocation/view.ts). */
export type AuthEvent =
  | { kind: 'session_revoked'; subject: string; expiresAt: Date }
  | { kind: 'user_changed'; subject: string; expiresAt: Date }
  /** Some grant, group or membership changed: every process drops its cached permissions. */
  | { kind: 'permissions_changed'; subject: string; expiresAt: Date }
  /**
   * A security event, kept for the audit log (the hardening issue lists them): a spent refresh
   * token of the session `subject` was presented again, so the session was ended.
   */
  | { kind: 'refresh_reuse'; subject: string; expiresAt: Date };

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

export class DuplicateSocialAccountError extends Error {
  constructor() {
    super('That provider account is already connected.');
    this.name = 'DuplicateSocialAccountError';
  }
}

/** One way a user signs in through a provider: unique by (provider, subject). */
export interface SocialAccount {
  id: number;
  userId: number;
  /** The provider's name in DOORMAN_SOCIAL_PROVIDERS. */
  provider: string;
  /** The provider's stable id for the person (OIDC `sub`, GitHub's numeric id, Naver's id). */
  subject: string;
  /** The e-mail the provider gave when it was connected, or null. */
  email: string | null;
  createdAt: Date;
}

export interface SocialAccountStore {
  /** Throws DuplicateSocialAccountError when (provider, subject) is already connected to anyone. */
  create(account: Omit<SocialAccount, 'id'>): Promise<SocialAccount>;
  find(provider: string, subject: string): Promise<SocialAccount | null>;
  /** The user's connections, oldest first. */
  listForUser(userId: number): Promise<SocialAccount[]>;
  /**
   * Deletes the user's connection `id`; with `keepOne`, only when the user has another
   * connection left (one statement, so two removals cannot both take the last but one).
   * Answers whether this call deleted it.
   */
  remove(userId: number, id: number, keepOne: boolean): Promise<boolean>;
}

/** What a one-time token is for; each user has at most one live token per purpose. */
export type OneTimePurpose = 'password_reset' | 'email_verification';

export interface OneTimeToken {
  /** Hex SHA-256 of the token: the token itself is never stored. */
  tokenHash: string;
  expiresAt: Date;
}

/** Password-reset and e-mail-verification tokens, by (purpose, user). */
export interface OneTimeTokenStore {
  /** Stores the token, replacing any earlier one of this purpose for the user (a newer reset kills the older). */
  put(purpose: OneTimePurpose, userId: number, token: OneTimeToken): Promise<void>;
  find(purpose: OneTimePurpose, userId: number): Promise<OneTimeToken | null>;
  /**
   * Deletes the row if it still holds this hash and says whether THIS call did: of concurrent
   * uses of one token exactly one gets true (single use).
   */
  consume(purpose: OneTimePurpose, userId: number, tokenHash: string): Promise<boolean>;
  /** Drops the user's token of this purpose (a password change kills a pending reset). */
  clear(purpose: OneTimePurpose, userId: number): Promise<void>;
  deleteExpired(now: Date): Promise<number>;
}

/** One security event (see audit/kinds.ts). Never holds a password, token, key or hash. */
export interface AuditEvent {
  at: Date;
  kind: string;
  userId: number | null;
  email: string | null;
  ip: string | null;
  userAgent: string | null;
  detail: string | null;
}

export interface StoredAuditEvent extends AuditEvent {
  id: number;
}

export interface AuditQuery {
  userId?: number;
  /** Matches the recorded e-mail, case-insensitively. */
  email?: string;
  kind?: string;
  /** Inclusive. */
  since?: Date;
  /** Exclusive. */
  until?: Date;
  limit: number;
  offset: number;
}

export interface AuditStore {
  append(events: AuditEvent[]): Promise<void>;
  /** Newest first, with the count of all matching events (for paging). */
  list(query: AuditQuery): Promise<{ count: number; results: StoredAuditEvent[] }>;
  /** Deletes events older than `before` (the retention setting); returns how many. */
  deleteBefore(before: Date): Promise<number>;
}

export interface Storage {
  users: UserStore;
  sessions: SessionStore;
  socialAccounts: SocialAccountStore;
  oneTimeTokens: OneTimeTokenStore;
  audit: AuditStore;
  events: EventStore;
  permissions: PermissionStore;
  djangoLinks: DjangoLinkStore;
  /** Runs pending migrations (forward-only); returns the names of those it applied. */
  migrate(): Promise<string[]>;
  /** For GET /readyz: null when the database answers and its migrations are current, else why not. */
  unready(): Promise<string | null>;
  close(): Promise<void>;
}
