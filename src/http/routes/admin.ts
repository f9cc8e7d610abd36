import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { isAdminUser } from '../../permissions/builtin.js';
import { requirePermission } from '../permissions.js';

const tags = ['admin'];
const security = [{ bearerAuth: [] }];
const GroupBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 150 }) });
const PermissionBody = Type.Object({ permission: Type.String({ minLength: 1, maxLength: 201 }) });
const MemberBody = Type.Object({ user: Type.Integer({ minimum: 1 }) });
const PathPart = Type.String({ maxLength: 201 });
const GroupResponse = Type.Object({ id: Type.Integer(), name: Type.String(), permissions: Type.Array(Type.String()) });

/** A path id, or 404 (as a URL that matches nothing) when it is not a positive integer. */
function id(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,11}$/.test(value)) throw new AuthError('not_found');
  return Number(value);
}

/**
 * The staff-only admin API (DRF IsAdminUser) for Django's groups and model permissions:
 * groups, their permissions and members, and a user's own permissions.
 */
export const adminRoutes: FastifyPluginAsyncTypebox<{ doorman: Doorman }> = async (app, { doorman }) => {
  const admin = doorman.permissions;
  const staff = requirePermission(isAdminUser);
  app.addHook('preValidation', staff);

  app.get('/groups/', { schema: { tags, security, summary: 'Groups and their permissions', response: { 200: Type.Array(GroupResponse) } } }, () => admin.listGroups());

  app.post('/groups/', { schema: { tags, security, summary: 'Create a group', body: GroupBody, response: { 201: GroupResponse } } }, async (request, reply) => {
    return reply.status(201).send(await admin.createGroup(request.body.name));
  });

  app.get('/groups/:id/', { schema: { params: Type.Object({ id: PathPart }), tags, security, response: { 200: GroupResponse } } }, (request) => admin.group(id(request.params.id)));

  app.delete('/groups/:id/', { schema: { params: Type.Object({ id: PathPart }), tags, security } }, async (request, reply) => {
    await admin.deleteGroup(id(request.params.id));
    return reply.status(204).send();
  });

  app.post('/groups/:id/permissions/', { schema: { params: Type.Object({ id: PathPart }), tags, security, summary: 'Grant a permission to a group', body: PermissionBody, response: { 200: GroupResponse } } }, (request) =>
    admin.grantToGroup(id(request.params.id), request.body.permission),
  );

  app.delete('/groups/:id/permissions/:permission/', { schema: { params: Type.Object({ id: PathPart, permission: PathPart }), tags, security, response: { 200: GroupResponse } } }, (request) =>
    admin.revokeFromGroup(id(request.params.id), request.params.permission),
  );

  app.post('/groups/:id/members/', { schema: { params: Type.Object({ id: PathPart }), tags, security, summary: 'Add a user to a group', body: MemberBody } }, async (request) => {
    await admin.addToGroup(request.body.user, id(request.params.id));
    return admin.describeUser(request.body.user);
  });

  app.delete('/groups/:id/members/:user/', { schema: { params: Type.Object({ id: PathPart, user: PathPart }), tags, security } }, async (request) => {
    await admin.removeFromGroup(id(request.params.user), id(request.params.id));
    return admin.describeUser(id(request.params.user));
  });

  app.get('/users/:user/permissions/', { schema: { params: Type.Object({ user: PathPart }), tags, security, summary: "A user's groups and permissions" } }, (request) =>
    admin.describeUser(id(request.params.user)),
  );

  app.post('/users/:user/permissions/', { schema: { params: Type.Object({ user: PathPart }), tags, security, summary: 'Grant a permission to a user', body: PermissionBody } }, async (request) => {
    await admin.grantToUser(id(request.params.user), request.body.permission);
    return admin.describeUser(id(request.params.user));
  });

  app.delete('/users/:user/permissions/:permission/', { schema: { params: Type.Object({ user: PathPart, permission: PathPart }), tags, security } }, async (request) => {
    await admin.revokeFromUser(id(request.params.user), request.params.permission);
    return admin.describeUser(id(request.params.user));
  });
};

