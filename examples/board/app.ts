import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AuthError,
  buildApp,
  checkObjectPermission,
  djangoModelPermissions,
  isAdminUser,
  isAuthenticatedOrReadOnly,
  isOwner,
  or,
  readOnly,
  requirePermission,
  type Doorman,
} from '../../src/index.js';
import type { Post, PostStore } from './posts.js';

/** The seed's IsOwner: only the author may change or delete a post. */
export const isPostOwner = isOwner((post: Post) => post.ownerId);

/**
 * Who may act on one post: anyone may read it; the owner may change or delete it; staff
 * (IsAdminUser) and users holding board.change_post / board.delete_post override.
 */
export const postObjectPermission = or(readOnly, isPostOwner, isAdminUser, djangoModelPermissions('board.post'));

const PostFields = {
  title: { type: 'string', minLength: 1, maxLength: 200 },
  body: { type: 'string', maxLength: 10_000 },
} as const;
const createBody = { type: 'object', required: ['title', 'body'], properties: PostFields } as const;
const patchBody = { type: 'object', properties: PostFields } as const;

const show = (post: Post) => ({
  id: post.id,
  owner: post.ownerId,
  title: post.title,
  body: post.body,
  created: post.created.toISOString(),
});

/**
 * The board: /posts/ (list: anyone; create: authenticated, owner = the request's user) and
 * /posts/:id/ (retrieve: anyone; update/partial update/delete: the owner, or an admin),
 * added to doorman's own app (buildApp: account and token routes at the root, and DRF-shaped
 * errors for every route: `{"detail":"Not found.","code":"not_found"}`, field errors such as
 * `{"title":["This field may not be blank."]}` for a bad body, no type coercion).
 */
export async function buildBoard(options: {
  doorman: Doorman;
  posts: PostStore;
  logger?: boolean;
}): Promise<FastifyInstance> {
  const { posts } = options;
  // logger true: doorman's configured level, credentials redacted (buildApp's default).
  const app = await buildApp(
    options.logger ? { doorman: options.doorman } : { doorman: options.doorman, logger: false },
  );

  // DRF's get_object(): the post or 404, then the object-level permission check.
  async function getObject(request: FastifyRequest<{ Params: { id: string } }>): Promise<Post> {
    const id = /^[1-9][0-9]{0,11}$/.test(request.params.id) ? Number(request.params.id) : null;
    const post = id === null ? null : await posts.find(id);
    if (!post) throw new AuthError('not_found');
    await checkObjectPermission(request, postObjectPermission, post);
    return post;
  }

  const collection = { preValidation: requirePermission(isAuthenticatedOrReadOnly) };
  app.get('/posts/', collection, async () => (await posts.list()).map(show));
  app.post<{ Body: { title: string; body: string } }>(
    '/posts/',
    { ...collection, schema: { body: createBody } },
    async (request, reply) => {
      const post = await posts.create(request.auth!.userId, { title: request.body.title, body: request.body.body });
      return reply.status(201).send(show(post));
    },
  );

  const item = { preValidation: requirePermission(isAuthenticatedOrReadOnly) };
  app.get<{ Params: { id: string } }>('/posts/:id/', item, async (request) => show(await getObject(request)));
  app.put<{ Params: { id: string }; Body: { title: string; body: string } }>(
    '/posts/:id/',
    { ...item, schema: { body: createBody } },
    async (request) => {
      const post = await getObject(request);
      return show((await posts.update(post.id, { title: request.body.title, body: request.body.body }))!);
    },
  );
  app.patch<{ Params: { id: string }; Body: { title?: string; body?: string } }>(
    '/posts/:id/',
    { ...item, schema: { body: patchBody } },
    async (request) => {
      const post = await getObject(request);
      return show((await posts.update(post.id, { title: request.body.title, body: request.body.body }))!);
    },
  );
  app.delete<{ Params: { id: string } }>('/posts/:id/', item, async (request, reply) => {
    const post = await getObject(request);
    await posts.remove(post.id);
    return reply.status(204).send();
  });
  return app;
}
