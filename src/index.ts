/**
 * doorman's public API: the only entry of the package (`import … from '@doorman-auth/server'`). Explicit
 * named exports; everything else is internal. The verifier for other services is a separate
 * entry, `@doorman-auth/server/verify`, with no database or Fastify dependency.
 *
 * @example
 * import Fastify from 'fastify';
 * import { openDoorman, doormanPlugin, requirePermission, isAuthenticated, userOf } from '@doorman-auth/server';
 *
 * const app = Fastify();
 * const doorman = await openDoorman();
 * await app.register(doormanPlugin, { doorman, prefix: '/auth' });
 * app.get('/hello', { preValidation: requirePermission(isAuthenticated) }, async (request) => ({ hello: userOf(request).user.email }));
 *
 * @packageDocumentation
 */

// The Fastify augmentation (`request.auth`) ships with the types: this import keeps it in dist/index.d.ts.
import './http/authenticate.js';

// Wiring
export { createDoorman, type Doorman, type DoormanOptions, type Tokens } from './core.js';
export { openDoorman, type OpenDoormanOptions } from './open.js';
export { buildApp, type BuildAppOptions } from './app.js';
export { loadConfig, ConfigError, type LoadConfigOptions } from './config/load.js';
export type { Config, ConfigInput } from './config/schema.js';
export { ensureDevKeys } from './keys/dev.js';

// Fastify
export { doormanPlugin, type DoormanPluginOptions } from './http/plugin.js';
export { requirePermission, checkObjectPermission, authenticateRequest, userOf } from './http/permissions.js';
// Also brings the Fastify augmentation (`request.auth`, `app.doormanAuth`) into the declarations.
export type { RequestAuthenticator } from './http/authenticate.js';
export type { CookieMode, IssuedCookies } from './http/cookies.js';
export { sendAuthError, CHALLENGE } from './http/send-error.js';
export type { AuthContext } from './auth/authenticate.js';
export type { UserState } from './revocation/view.js';
export type { Revocation } from './revocation/revocation.js';

// Accounts and tokens
export type { Accounts, Registration, PasswordChange, ProfileInput } from './users/accounts.js';
export type { TokenPair, IssuedToken, SessionOrigin } from './tokens/issue.js';
export type { Sessions, SessionView } from './sessions/sessions.js';
export type { RefreshResult } from './tokens/rotate.js';
export type { VerifiedToken, InspectedToken } from './tokens/verify.js';
export type { TokenType } from './tokens/rules.js';
export type { Claims } from './tokens/claims.js';
export type { CustomClaims } from './tokens/context.js';
export type { JwksDocument } from './keys/jwks.js';
export { JWT_ALGORITHMS, type JwtAlgorithm } from './keys/algorithms.js';
export type { Verifier, VerifierOptions, VerifiedAccess } from './verify/verifier.js';

// Social login (doorman.social; README "Social login")
export type { Social, SocialCredentials } from './social/social.js';
export type {
  SocialClient,
  SocialClientOptions,
  ProviderIdentity,
  PendingLogin,
  CodeExchange,
} from './social/client.js';
export type { SocialProviderSetting } from './social/settings.js';
export type { ProviderKind, OAuthEndpoints } from './social/presets.js';

// Permissions (DRF's permission classes)
export {
  permission,
  SAFE_METHODS,
  type Permission,
  type PermissionSubject,
  type PermissionUser,
} from './permissions/types.js';
export {
  allowAny,
  isAuthenticated,
  isAuthenticatedOrReadOnly,
  isAdminUser,
  readOnly,
  isOwner,
} from './permissions/builtin.js';
export { and, or, not } from './permissions/compose.js';
export {
  djangoModelPermissions,
  djangoModelPermissionsOrAnonReadOnly,
  djangoObjectPermissions,
  hasPerms,
  type ModelPermissionOptions,
  type ObjectPermissionOptions,
} from './permissions/model.js';
export { modelPermission, parsePermissionName, type ModelAction } from './permissions/names.js';
export { assertPermission, assertObjectPermission } from './permissions/check.js';
export type { PermissionAdmin, GroupView, UserPermissionsView, StaffView } from './permissions/admin.js';

// Storage
export { kyselyStorage } from './storage/kysely/index.js';
export { sqliteStorage } from './storage/sqlite/index.js';
export { memoryStorage } from './storage/memory/index.js';
export { openStorage, type OpenStorageOptions } from './storage/open.js';
export type { DatabaseUrl } from './config/database-url.js';
export { migrateToLatest } from './storage/kysely/migrate.js';
export {
  DuplicateEmailError,
  DuplicateGroupError,
  DuplicateSocialAccountError,
  type SocialAccount,
  type SocialAccountStore,
  type Storage,
  type UserStore,
  type SessionStore,
  type Session,
  type NewSession,
  type EventStore,
  type PermissionStore,
  type Group,
} from './storage/ports.js';
export type { Database } from './storage/kysely/db.js';

// Errors
export { AuthError, type AuthErrorOptions, type FieldErrors, type TokenMessage } from './errors/auth-error.js';
export { ERROR_CODES, type AuthErrorCode } from './errors/codes.js';

// Users
export type { User, PublicUser } from './users/types.js';
