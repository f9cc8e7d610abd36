import { createRequire } from 'node:module';
import type PgModule from 'pg';

const require = createRequire(import.meta.url);
let loaded: typeof PgModule | undefined;

/**
 * The `pg` driver, loaded with the first PostgreSQL connection rather than at import: a server
 * on SQLite (the default) never loads it, and its ~1.5 MB of heap is multiplied by V8's heap
 * cycle in the server's RSS (issue 13). `pg` is CommonJS, so a synchronous require keeps
 * openStorage synchronous.
 */
export function pgDriver(): typeof PgModule {
  return (loaded ??= require('pg') as typeof PgModule);
}
