import type { AuthEvent, EventStore } from '../storage/ports.js';

/** How long a change event stays readable for other processes' polls (they poll far more often). */
export const CHANGE_EVENT_TTL_MS = 10 * 60_000;

/**
 * Tells every other process about a change, through the event log they poll. A revoked
 * session's event lives as long as its access tokens can (`expiresAt`); other changes (a user,
 * the permissions) for {@link CHANGE_EVENT_TTL_MS}.
 */
export async function publish(
  events: EventStore,
  kind: AuthEvent['kind'],
  subject: string,
  now: number,
  expiresAt = now + CHANGE_EVENT_TTL_MS,
): Promise<void> {
  await events.append({ kind, subject, expiresAt: new Date(expiresAt) } as AuthEvent);
}
