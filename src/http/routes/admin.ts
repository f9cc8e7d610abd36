import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Doorman } from '../../core.js';
import { AuthError } from '../../errors/auth-error.js';
import { staffWith, superuserOnly } from '../../permissions/admin-rules.js';
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
  // Staff gets in; each route then needs its Django model permission, or a superuser (issue 14).
  const need = (...perms: string[]) => ({ preHandler: requirePermission(staffWith(...perms)) });
  const superuser = { preHandler: requirePermission(superuserOnly) };

  app.get('/groups/', { ...listGroups, ...need('auth.view_group') }, () => admin.listGroups());

  app.post('/groups/', { ...createGroup, ...need('auth.add_group') }, async (request, reply) => reply.status(201).send(await admin.createGroup(request.body.name)));

  app.get('/groups/:id/', { ...getGroup, ...need('auth.view_group') }, (request) => admin.group(id(request.params.id)));

  app.delete('/groups/:id/', { ...deleteGroup, ...need('auth.delete_group') }, async (request, reply) => {
    await admin.deleteGroup(id(request.params.id));
    return reply.status(204).send();
  });

  app.post('/groups/:id/permissions/', { ...grantToGroup, ...superuser }, (request) => admin.grantToGroup(id(request.params.id), request.body.permission));

  app.delete('/groups/:id/permissions/:permission/', { ...revokeFromGroup, ...superuser }, (request) => admin.revokeFromGroup(id(request.params.id), request.params.permission));

  app.post('/groups/:id/members/', { ...addMember, ...need('auth.change_user') }, async (request) => {
    // Joining a group hands out its permissions: only a superuser may do that for a group that has any.
    if (!request.auth!.user.isSuperuser && (await admin.group(id(request.params.id))).permissions.length > 0) throw new AuthError('permission_denied');
    await admin.addToGroup(request.body.user, id(request.params.id));
    return admin.describeUser(request.body.user);
  });

  app.delete('/groups/:id/members/:user/', { ...removeMember, ...need('auth.change_user') }, async (request) => {
    await admin.removeFromGroup(id(request.params.user), id(request.params.id));
    return admin.describeUser(id(request.params.user));
  });

  app.get('/users/:user/permissions/', { ...userPermissions, ...need('auth.view_user') }, (request) => admin.describeUser(id(request.params.user)));

  app.post('/users/:user/permissions/', { ...grantToUser, ...superuser }, async (request) => {
    await admin.grantToUser(id(request.params.user), request.body.permission);
    return admin.describeUser(id(request.params.user));
  });

  app.delete('/users/:user/permissions/:permission/', { ...revokeFromUser, ...superuser }, async (request) => {
    await admin.revokeFromUser(id(request.params.user), request.params.permission);
    return admin.describeUser(id(request.params.user));
  });
};
