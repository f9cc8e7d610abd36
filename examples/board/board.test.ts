import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, testConfig } from '../../test/helpers.js';
import { createDoorman, kyselyStorage, type Doorman } from '../../src/index.js';
import { buildBoard } from './app.js';
import { postStore } from './posts.js';

describe('examples/board: the seed’s posts with IsOwner, end to end', () => {
  let dir: string;
  let db: Kysely<any>;
  let doorman: Doorman;
  let app: FastifyInstance;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'board-'));
    const database = new BetterSqlite3(join(dir, 'board.sqlite3'));
    database.pragma('foreign_keys = ON');
    db = new Kysely<any>({ dialect: new SqliteDialect({ database }) });
    const storage = kyselyStorage(db);
    await storage.migrate();
    doorman = createDoorman({ config: testConfig(), storage });
    await doorman.start();
    const posts = postStore(db);
    await posts.migrate();
    app = await buildBoard({ doorman, posts });
  });
  afterEach(async () => {
    await app.close();
    await doorman.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const join_ = async (email: string) => {
    const r = await app.inject({
      method: 'POST',
      url: '/account/join/',
      payload: { email, password1: PASSWORD, password2: PASSWORD },
    });
    expect(r.statusCode).toBe(201);
    const body = r.json() as { access: string; user: { pk: number } };
    return { id: body.user.pk, headers: { authorization: `Bearer ${body.access}` } };
  };
  const create = async (headers: Record<string, string>, title = 'Hello') => {
    const r = await app.inject({ method: 'POST', url: '/posts/', headers, payload: { title, body: 'First post' } });
    expect(r.statusCode).toBe(201);
    return r.json() as { id: number; owner: number };
  };

  it('anyone lists and retrieves; only users create, as themselves', async () => {
    const kim = await join_('kim@example.com');
    const anonymousCreate = await app.inject({ method: 'POST', url: '/posts/', payload: { title: 'x', body: 'y' } });
    expect(anonymousCreate.statusCode).toBe(401);
    expect(anonymousCreate.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(anonymousCreate.json()).toEqual({
      detail: 'Authentication credentials were not provided.',
      code: 'not_authenticated',
    });

    const post = await create(kim.headers);
    expect(post).toMatchObject({ owner: kim.id, title: 'Hello', body: 'First post', created: expect.any(String) });
    const list = await app.inject({ url: '/posts/' });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([post]);
    const one = await app.inject({ url: `/posts/${post.id}/` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(post);
    expect((await app.inject({ url: `/posts/${post.id}` })).statusCode).toBe(200); // trailing slash optional
  });

  it('the owner updates, partially updates and deletes', async () => {
    const kim = await join_('kim@example.com');
    const post = await create(kim.headers);
    const put = await app.inject({
      method: 'PUT',
      url: `/posts/${post.id}/`,
      headers: kim.headers,
      payload: { title: 'New', body: 'Text' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ title: 'New', body: 'Text' });
    const patch = await app.inject({
      method: 'PATCH',
      url: `/posts/${post.id}/`,
      headers: kim.headers,
      payload: { title: 'Newer' },
    });
    expect(patch.json()).toMatchObject({ title: 'Newer', body: 'Text' });
    expect((await app.inject({ method: 'DELETE', url: `/posts/${post.id}/`, headers: kim.headers })).statusCode).toBe(
      204,
    );
    expect((await app.inject({ url: `/posts/${post.id}/` })).statusCode).toBe(404);
  });

  it('another user gets 403 on every write; anonymous gets 401 on writes and 200 on reads', async () => {
    const kim = await join_('kim@example.com');
    const lee = await join_('lee@example.com');
    const post = await create(kim.headers);
    const writes = [
      { method: 'PUT' as const, payload: { title: 'x', body: 'y' } },
      { method: 'PATCH' as const, payload: { title: 'x' } },
      { method: 'DELETE' as const },
    ];
    for (const w of writes) {
      const other = await app.inject({ ...w, url: `/posts/${post.id}/`, headers: lee.headers });
      expect(other.statusCode).toBe(403);
      expect(other.json()).toEqual({
        detail: 'You do not have permission to perform this action.',
        code: 'permission_denied',
      });
      const anonymous = await app.inject({ ...w, url: `/posts/${post.id}/` });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json().code).toBe('not_authenticated');
    }
    expect((await app.inject({ url: `/posts/${post.id}/` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/posts/${post.id}/`, headers: lee.headers })).statusCode).toBe(200);
    expect((await app.inject({ url: `/posts/${post.id}/` })).json().title).toBe('Hello');
  });

  it('admin override: staff (IsAdminUser), superuser, or the model permission', async () => {
    const kim = await join_('kim@example.com');
    const staff = await join_('staff@example.com');
    const editor = await join_('editor@example.com');
    const post = await create(kim.headers);
    await doorman.storage.users.update(staff.id, { isStaff: true });
    await doorman.revocation.userChanged({ id: staff.id, email: 'staff@example.com' });
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/posts/${post.id}/`,
          headers: staff.headers,
          payload: { title: 'by staff' },
        })
      ).statusCode,
    ).toBe(200);

    const before = await app.inject({
      method: 'PATCH',
      url: `/posts/${post.id}/`,
      headers: editor.headers,
      payload: { title: 'by editor' },
    });
    expect(before.statusCode).toBe(403);
    const group = await doorman.permissions.createGroup('moderators');
    await doorman.permissions.grantToGroup(group.id, 'board.change_post');
    await doorman.permissions.addToGroup(editor.id, group.id);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/posts/${post.id}/`,
          headers: editor.headers,
          payload: { title: 'by editor' },
        })
      ).statusCode,
    ).toBe(200);
    // change_post is not delete_post
    expect(
      (await app.inject({ method: 'DELETE', url: `/posts/${post.id}/`, headers: editor.headers })).statusCode,
    ).toBe(403);
    await doorman.permissions.grantToUser(editor.id, 'board.delete_post');
    expect(
      (await app.inject({ method: 'DELETE', url: `/posts/${post.id}/`, headers: editor.headers })).statusCode,
    ).toBe(204);
  });

  it('bad input is 4xx, never 500', async () => {
    const kim = await join_('kim@example.com');
    const post = await create(kim.headers);
    expect((await app.inject({ url: '/posts/abc/' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/posts/99999999999999999999/' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/posts/9999/' })).json()).toEqual({ detail: 'Not found.', code: 'not_found' });
    const blank = await app.inject({ method: 'POST', url: '/posts/', headers: kim.headers, payload: { title: '' } });
    expect(blank.statusCode).toBe(400);
    expect(blank.json()).toEqual({ title: ['This field may not be blank.'], body: ['This field is required.'] });
    const wrongType = await app.inject({
      method: 'PUT',
      url: `/posts/${post.id}/`,
      headers: kim.headers,
      payload: { title: 1, body: 'x' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toEqual({ title: ['Not a valid string.'] });
    const notJson = await app.inject({
      method: 'POST',
      url: '/posts/',
      headers: { ...kim.headers, 'content-type': 'application/json' },
      payload: '{',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json()).toEqual({
      detail: 'JSON parse error - the request body is not valid JSON.',
      code: 'parse_error',
    });
    expect((await app.inject({ url: '/nothing-here/' })).json()).toEqual({ detail: 'Not found.', code: 'not_found' });
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/posts/',
          headers: { authorization: 'Bearer nope' },
          payload: { title: 'x', body: 'y' },
        })
      ).statusCode,
    ).toBe(401);
  });
});
