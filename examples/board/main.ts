import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { kyselyStorage, openDoorman } from '../../src/index.js';
import { buildBoard } from './app.js';
import { postStore } from './posts.js';

/**
 * `npm run example:board`: the board on one SQLite file (BOARD_DATABASE, default
 * ./board.sqlite3) shared by doorman's tables and the board's, on 127.0.0.1:8001 (BOARD_PORT).
 * doorman's settings come from DOORMAN_* as for the server.
 */
async function main(): Promise<void> {
  const database = new BetterSqlite3(process.env.BOARD_DATABASE ?? 'board.sqlite3');
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
  // The host's own connection: doorman migrates its tables there, the board its own.
  const doorman = await openDoorman({ storage: kyselyStorage(db) });
  const posts = postStore(db);
  await posts.migrate();
  const app = await buildBoard({ doorman, posts, logger: true });
  app.addHook('onClose', async () => {
    await doorman.close();
    await db.destroy();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
  await app.listen({ host: '127.0.0.1', port: Number(process.env.BOARD_PORT ?? 8001) });
}

main().catch((error) => {
  process.stderr.write(`board: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
