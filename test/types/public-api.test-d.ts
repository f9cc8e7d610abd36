/**
 * The declared public API, pinned by types (run by `npm run typecheck`, part of `npm test`):
 * a change to one of these shapes fails the build, as jose's test-d/ and fastify's *.tst.ts.
 */
import Fastify, { type FastifyRequest } from 'fastify';
import { expectTypeOf } from 'vitest';
import type {
  Accounts,
  AuthContext,
  CookieMode,
  Doorman,
  DoormanOptions,
  GroupView,
  InspectedToken,
  PermissionAdmin,
  RefreshResult,
  Registration,
  RequestAuthenticator,
  SessionView,
  Social,
  SocialAccount,
  SocialAccountStore,
  SocialClient,
  SocialClientOptions,
  SocialCredentials,
  SocialProviderSetting,
  ProviderIdentity,
  Storage,
  TokenPair,
  Tokens,
  User,
  VerifiedToken,
  Verifier,
} from '../../src/index.js';
import {
  authenticateRequest,
  createDoorman,
  doormanPlugin,
  isAuthenticated,
  openDoorman,
  requirePermission,
  userOf,
} from '../../src/index.js';
import { createVerifier, type VerifiedAccess } from '../../src/verify/index.js';

// Wiring: the declared interface, not an inferred shape.
expectTypeOf(createDoorman).returns.toEqualTypeOf<Doorman>();
expectTypeOf(openDoorman).returns.resolves.toEqualTypeOf<Doorman>();
expectTypeOf<Doorman['accounts']>().toEqualTypeOf<Accounts>();
expectTypeOf<Doorman['permissions']>().toEqualTypeOf<PermissionAdmin>();
expectTypeOf<Doorman['tokens']>().toEqualTypeOf<Tokens>();
expectTypeOf<Doorman['authenticateNow']>().returns.toEqualTypeOf<AuthContext | Promise<AuthContext>>();

// Accounts.
expectTypeOf<Accounts['register']>().parameters.toEqualTypeOf<[Registration]>();
expectTypeOf<Accounts['register']>().returns.resolves.toEqualTypeOf<User>();
expectTypeOf<Accounts['login']>().parameters.toEqualTypeOf<[string, string]>();
expectTypeOf<Accounts['obtain']>().returns.resolves.toEqualTypeOf<User>();
expectTypeOf<Accounts['get']>().parameters.toEqualTypeOf<[number]>();
expectTypeOf<Accounts['setActive']>().returns.resolves.toEqualTypeOf<{ user: User; endedSessions: number }>();

// Tokens: the synchronous hot path and the asynchronous fallback are two names.
expectTypeOf<Tokens['verifyOwnAccess']>().returns.toEqualTypeOf<VerifiedToken | null>();
expectTypeOf<Tokens['verifyAccess']>().returns.toEqualTypeOf<Promise<VerifiedToken>>();
expectTypeOf<Tokens['verify']>().returns.resolves.toEqualTypeOf<InspectedToken>();
expectTypeOf<InspectedToken['blacklisted']>().toEqualTypeOf<boolean>();
expectTypeOf<Tokens['issuePair']>().returns.resolves.toEqualTypeOf<TokenPair>();
expectTypeOf<Tokens['refresh']>().returns.resolves.toEqualTypeOf<RefreshResult>();
expectTypeOf<RefreshResult['sessionId']>().toEqualTypeOf<string>();
expectTypeOf<Tokens['logout']>().parameters.toEqualTypeOf<[string | null, string | null]>();
expectTypeOf<Doorman['sessions']['list']>().returns.resolves.toEqualTypeOf<SessionView[]>();

// Social login: doorman.social and the shapes it takes and gives.
expectTypeOf<Doorman['social']>().toEqualTypeOf<Social>();
expectTypeOf<Social['login']>().parameters.toEqualTypeOf<[string, SocialCredentials]>();
expectTypeOf<Social['login']>().returns.resolves.toEqualTypeOf<User>();
expectTypeOf<Social['signIn']>().parameters.toEqualTypeOf<[string, ProviderIdentity]>();
expectTypeOf<Social['connectWith']>().returns.resolves.toEqualTypeOf<SocialAccount>();
expectTypeOf<Social['connections']>().returns.resolves.toEqualTypeOf<SocialAccount[]>();
expectTypeOf<Social['client']>().returns.toEqualTypeOf<SocialClient>();
expectTypeOf<SocialClient['setting']>().toEqualTypeOf<SocialProviderSetting>();
expectTypeOf<SocialAccount['subject']>().toEqualTypeOf<string>();
expectTypeOf<SocialAccount['email']>().toEqualTypeOf<string | null>();
expectTypeOf<SocialCredentials['id_token']>().toEqualTypeOf<string | undefined>();
expectTypeOf<ProviderIdentity['emailVerified']>().toEqualTypeOf<boolean>();
expectTypeOf<Storage['socialAccounts']>().toEqualTypeOf<SocialAccountStore>();
expectTypeOf<DoormanOptions['socialClient']>().toEqualTypeOf<SocialClientOptions | undefined>();

// Permissions.
expectTypeOf<PermissionAdmin['createGroup']>().returns.resolves.toEqualTypeOf<GroupView>();
expectTypeOf<PermissionAdmin['of']>().returns.resolves.toEqualTypeOf<ReadonlySet<string>>();

// Fastify: the augmentation ships with the public entry, and the route helpers need no casts.
expectTypeOf<FastifyRequest['auth']>().toEqualTypeOf<AuthContext | null>();
expectTypeOf(userOf).returns.toEqualTypeOf<AuthContext>();
expectTypeOf(authenticateRequest).returns.resolves.toEqualTypeOf<AuthContext | null>();
expectTypeOf<CookieMode['enabled']>().toEqualTypeOf<boolean>();
expectTypeOf<RequestAuthenticator['authenticate']>().returns.resolves.toEqualTypeOf<AuthContext | null>();
expectTypeOf<RequestAuthenticator['authenticateNow']>().returns.toEqualTypeOf<
  AuthContext | null | Promise<AuthContext | null>
>();
const app = Fastify();
expectTypeOf(app.doorman).toEqualTypeOf<Doorman>();
expectTypeOf(app.doormanAuth).toEqualTypeOf<RequestAuthenticator>();
void app.register(doormanPlugin, { doorman: {} as Doorman, prefix: '/auth' });
app.get('/me', { preValidation: requirePermission(isAuthenticated) }, async (request) => {
  expectTypeOf(userOf(request).user.email).toEqualTypeOf<string>();
  expectTypeOf(userOf(request).userId).toEqualTypeOf<number>();
  return {};
});

// doorman/verify.
expectTypeOf(createVerifier).returns.toEqualTypeOf<Verifier>();
expectTypeOf<Verifier['verify']>().returns.resolves.toEqualTypeOf<VerifiedAccess>();
expectTypeOf<VerifiedAccess['userId']>().toEqualTypeOf<number | string>();
