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
const GroupPath = Type.Object({ id: PathPart });
const GroupPermissionPath = Type.Object({ id: PathPart, permission: PathPart });
const MemberPath = Type.Object({ id: PathPart, user: PathPart });
const UserPath = Type.Object({ user: PathPart });
const UserPermissionPath = Type.Object({ user: PathPart, permission: PathPart });

const listGroups = { schema: { tags, security, summary: 'Groups and their permissions', response: { 200: Type.Array(GroupResponse) } } };
const createGroup = { schema: { tags, security, summary: 'Create a group', body: GroupBody, response: { 201: GroupResponse } } };
const getGroup = { schema: { params: GroupPath, tags, security, response: { 200: GroupResponse } } };
const deleteGroup = { schema: { params: GroupPath, tags, security } };
const grantToGroup = { schema: { params: GroupPath, tags, security, summary: 'Grant a permission to a group', body: PermissionBody, response: { 200: GroupResponse } } };
const revokeFromGroup = { schema: { params: GroupPermissionPath, tags, security, response: { 200: GroupResponse } } };
const addMember = { schema: { params: GroupPath, tags, security, summary: 'Add a user to a group', body: MemberBody } };
const removeMember = { schema: { params: MemberPath, tags, security } };
const userPermissions = { schema: { params: UserPath, tags, security, summary: "A user's groups and permissions" } };
const grantToUser = { schema: { params: UserPath, tags, security, summary: 'Grant a permission to a user', body: PermissionBody } };
const revokeFromUser = { schema: { params: UserPermissionPath, tags, security } };

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
  app.addHook('preValidation', requirePermission(isAdminUser));

  app.get('/groups/', listGroups, () => admin.listGroups());

  app.post('/groups/', createGroup, async (request, reply) => reply.status(201).send(await admin.createGroup(request.body.name)));

  app.get('/groups/:id/', getGroup, (request) => admin.group(id(request.params.id)));

  app.delete('/groups/:id/', deleteGroup, async (request, reply) => {
    await admin.deleteGroup(id(request.params.id));
    return reply.status(204).send();
  });

  app.post('/groups/:id/permissions/', grantToGroup, (request) => admin.grantToGroup(id(request.params.id), request.body.permission));

  app.delete('/groups/:id/permissions/:permission/', revokeFromGroup, (request) => admin.revokeFromGroup(id(request.params.id), request.params.permission));

  app.post('/groups/:id/members/', addMember, async (request) => {
    await admin.addToGroup(request.body.user, id(request.params.id));
    return admin.describeUser(request.body.user);
  });

  app.delete('/groups/:id/members/:user/', removeMember, async (request) => {
    await admin.removeFromGroup(id(request.params.user), id(request.params.id));
    return admin.describeUser(id(request.params.user));
  });

  app.get('/users/:user/permissions/', userPermissions, (request) => admin.describeUser(id(request.params.user)));

  app.post('/users/:user/permissions/', grantToUser, async (request) => {
    await admin.grantToUser(id(request.params.user), request.body.permission);
    return admin.describeUser(id(request.params.user));
  });

  app.delete('/users/:user/permissions/:permission/', revokeFromUser, async (request) => {
    await admin.revokeFromUser(id(request.params.user), request.params.permission);
    return admin.describeUser(id(request.params.user));
  });
};
