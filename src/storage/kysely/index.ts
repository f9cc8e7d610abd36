import type { Kysely } from 'kysely';
import type { Storage } from '../ports.js';
import type { Database } from './db.js';
import { kyselyDjangoLinkStore } from './django-links.js';
import { kyselyAuditStore } from './audit.js';
import { kyselyEventStore } from './events.js';
import { migrateToLatest, migrationProblem } from './migrate.js';
import { kyselyOneTimeTokenStore } from './one-time-tokens.js';
import { kyselyPermissionStore } from './permissions.js';
import { kyselySessionStore } from './sessions.js';
import { kyselySocialAccountStore } from './social-accounts.js';
import { kyselyUserStore } from './users.js';

/**
 * Storage on an existing Kysely instance: the host app's own connection, whatever its table
 * types (doorman's tables sit beside the host's, migrated by `storage.migrate()` and tracked in
 * `doorman_migrations`). `close` runs on `storage.close()`; by default the host keeps its
 * connection open.
 *
 * @example
 * const db = new Kysely<MyTables>({ dialect: new SqliteDialect({ database: new Database('app.db') }) });
 * const doorman = await openDoorman({ storage: kyselyStorage(db) });
 */
export function kyselyStorage(host: Kysely<any>, close: () => Promise<void> = async () => {}): Storage {
  const db = host as Kysely<Database>;
  return {
    users: kyselyUserStore(db),
    sessions: kyselySessionStore(db),
    socialAccounts: kyselySocialAccountStore(db),
    events: kyselyEventStore(db),
    permissions: kyselyPermissionStore(db),
    djangoLinks: kyselyDjangoLinkStore(db),
    oneTimeTokens: kyselyOneTimeTokenStore(db),
    audit: kyselyAuditStore(db),
    migrate: () => migrateToLatest(db),
    unready: () => migrationProblem(db),
    close,
  };
}
