/**
 * The in-memory revocation view every request is checked against, with no database query in
 * the steady state: revoked sessions (until the last token they could hold has expired) and
 * a bounded cache of user states (active, still existing). Fed by this process's own writes at
 * once and by other processes' writes through the event poll (revocation/sync.ts).
 */
export interface UserState {
  id: number;
  email: string;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
}

/** How stale the user cache's recency order may be: eviction is least recently used to within this. */
const RECENCY_MS = 1000;

export class RevocationView {
  readonly #sessions = new Map<string, number>();
  readonly #users = new Map<string, { state: UserState | null; until: number; touched: number }>();
  readonly #permissions = new Map<number, ReadonlySet<string>>();

  /**
   * @param userCacheTtlMs how long a cached user state is trusted: changes made through doorman
   *   arrive as events at once, but one made directly in the database (an SQL UPDATE, the
   *   Django admin on a shared database) has no event, and this bounds how long it goes unseen.
   */
  constructor(
    readonly userCacheSize: number,
    readonly userCacheTtlMs: number = Number.POSITIVE_INFINITY,
  ) {}

  revokeSession(sessionId: string, expiresAt: number): void {
    const current = this.#sessions.get(sessionId) ?? 0;
    if (expiresAt > current) this.#sessions.set(sessionId, expiresAt);
  }

  isSessionRevoked(sessionId: string, now: number): boolean {
    const until = this.#sessions.get(sessionId);
    return until !== undefined && until > now;
  }

  /**
   * A cached user state, keyed by the user id claim's value (the id, or the e-mail when
   * USER_ID_FIELD is email): a UserState, null for "no such user", undefined for "not cached".
   */
  user(id: string, now: number): UserState | null | undefined {
    const entry = this.#users.get(id);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.#users.delete(id);
      return undefined;
    }
    // Map keeps insertion order; re-inserting makes this the most recently used entry. At most
    // once a second per user, not on every request: each re-insert leaves a deleted slot, and a
    // Map rebuilt every few requests was garbage that outlived the young generation (issue 13).
    if (now - entry.touched >= RECENCY_MS) {
      entry.touched = now;
      this.#users.delete(id);
      this.#users.set(id, entry);
    }
    return entry.state;
  }

  cacheUser(id: string, state: UserState | null, now: number): void {
    if (this.userCacheSize === 0 || this.userCacheTtlMs === 0) return;
    this.#users.delete(id);
    this.#users.set(id, { state, until: now + this.userCacheTtlMs, touched: now });
    if (this.#users.size > this.userCacheSize) this.#users.delete(this.#users.keys().next().value!);
  }

  forgetUser(id: string): void {
    this.#users.delete(id);
    if (/^\d+$/.test(id)) this.#permissions.delete(Number(id));
  }

  /** The user's cached model permissions (own and through groups); undefined when not cached. */
  permissions(userId: number): ReadonlySet<string> | undefined {
    const set = this.#permissions.get(userId);
    if (set !== undefined) {
      this.#permissions.delete(userId);
      this.#permissions.set(userId, set);
    }
    return set;
  }

  cachePermissions(userId: number, permissions: ReadonlySet<string>): void {
    if (this.userCacheSize === 0) return;
    this.#permissions.delete(userId);
    this.#permissions.set(userId, permissions);
    if (this.#permissions.size > this.userCacheSize) this.#permissions.delete(this.#permissions.keys().next().value!);
  }

  /** A grant, group or membership changed somewhere: every cached permission set may be stale. */
  forgetAllPermissions(): void {
    this.#permissions.clear();
  }

  prune(now: number): void {
    for (const [id, until] of this.#sessions) if (until <= now) this.#sessions.delete(id);
  }

  get revokedSessionCount(): number {
    return this.#sessions.size;
  }
}
