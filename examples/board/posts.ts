import { Migrator, type Kysely, type Generated, type Migration } from 'kysely';

/** The seed's Post(owner, title, body, created). */
export interface Post {
  id: number;
  ownerId: number;
  title: string;
  body: string;
  created: Date;
}

interface BoardTables {
  board_posts: { id: Generated<number>; owner_id: number; title: string; body: string; created: number };
}

/** The board's own numbered migrations, tracked apart from doorman's, in the same database. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-posts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('board_posts')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};

const toPost = (r: { id: number; owner_id: number; title: string; body: string; created: number }): Post => ({
  id: Number(r.id),
  ownerId: Number(r.owner_id),
  title: r.title,
  body: r.body,
  created: new Date(Number(r.created)),
});

/** Posts over the host's Kysely connection (the same database doorman uses). */
export function postStore(host: Kysely<any>) {
  const db = host as Kysely<BoardTables>;
  return {
    async migrate(): Promise<void> {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: async () => MIGRATIONS },
        migrationTableName: 'board_migrations',
        migrationLockTableName: 'board_migrations_lock',
      });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
    },
    async list(): Promise<Post[]> {
      return (await db.selectFrom('board_posts').selectAll().orderBy('id', 'desc').limit(100).execute()).map(toPost);
    },
    async find(id: number): Promise<Post | null> {
      const row = await db.selectFrom('board_posts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toPost(row) : null;
    },
    async create(ownerId: number, fields: { title: string; body: string }): Promise<Post> {
      const row = await db
        .insertInto('board_posts')
        .values({ owner_id: ownerId, ...fields, created: Date.now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPost(row);
    },
    async update(id: number, fields: { title?: string; body?: string }): Promise<Post | null> {
      if (fields.title === undefined && fields.body === undefined) return this.find(id);
      const row = await db
        .updateTable('board_posts')
        .set(fields)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? toPost(row) : null;
    },
    async remove(id: number): Promise<void> {
      await db.deleteFrom('board_posts').where('id', '=', id).execute();
    },
  };
}

export type PostStore = ReturnType<typeof postStore>;
