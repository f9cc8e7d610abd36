import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { ConfigError, kyselyStorage, loadConfig, openDoorman } from '../../src/index.js';
import type { DatabaseUrl } from '../../src/index.js';
import { buildBoard } from './app.js';
import { postStore } from './posts.js';

/** The SQLite file named by doorman's own DATABASE_URL (sqlite:<path>): the board keeps its posts there too. */
function sqlitePath(database: DatabaseUrl): string {
  if (database.driver !== 'sqlite' || database.path === ':memory:')
    throw new ConfigError(
      'DOORMAN_DATABASE_URL',
      "the board example keeps its posts in doorman's SQLite file: set sqlite:<path>",
    );
  return database.path;
}

/**
 * `npm run example:board`: the board on doorman's database (DOORMAN_DATABASE_URL / DATABASE_URL,
 * default sqlite:./doorman.sqlite3), doorman's tables and the board's in one file, on
 * 127.0.0.1:BOARD_PORT (default 8001). Every other doorman setting comes from DOORMAN_* as for
 * the server (npm start), so a user made with `npx doorman createsuperuser` can post.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const port = Number(process.env.BOARD_PORT ?? 8001);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('BOARD_PORT', 'expected a whole number from 0 to 65535');
  const database = new BetterSqlite3(sqlitePath(config.databaseUrl));
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
  // The host's own connection: doorman migrates its tables there, the board its own.
  const doorman = await openDoorman({ config, storage: kyselyStorage(db) });
  const posts = postStore(db);
  await posts.migrate();
  const app = await buildBoard({ doorman, posts, logger: true });
  app.addHook('onClose', async () => {
    await doorman.close();
    await db.destroy();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void app.close().then(() => process.exit(0)));
  await app.listen({ host: '127.0.0.1', port });
}

main().catch((error) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `board: configuration error: ${error.message}\n`
      : `board: ${(error as Error).stack ?? String(error)}\n`,
  );
  process.exit(error instanceof ConfigError ? 78 : 1);
});
