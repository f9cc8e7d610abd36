import type { Static } from '@fastify/type-provider-typebox';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AuthResponse,
  JoinInput,
  MypageResponse,
  PasswordChangeInput,
  PasswordChangeResponse,
  ProfileInput,
  RefreshResponse,
  Session,
  SocialConnection,
  SocialCredentials,
  User,
} from '../../src/client/index.js';
import type * as schemas from '../../src/http/schemas.js';

type Wire<K extends keyof typeof schemas> = Static<(typeof schemas)[K]>;

/**
 * @doorman-auth/server/client writes the wire types out instead of importing server code; these checks
 * (run by `npm run typecheck`, which covers test/) keep them equal to the route schemas.
 */
describe('@doorman-auth/server/client wire types match the route schemas', () => {
  it('answers: what the server sends is what the client types say', () => {
    expectTypeOf<User>().toEqualTypeOf<Wire<'PublicUserSchema'>>();
    expectTypeOf<AuthResponse>().toEqualTypeOf<Wire<'AuthResponse'>>();
    expectTypeOf<RefreshResponse>().toEqualTypeOf<Wire<'RefreshResponse'>>();
    expectTypeOf<MypageResponse>().toEqualTypeOf<Wire<'MypageResponse'>>();
    expectTypeOf<Session>().toEqualTypeOf<Wire<'SessionListResponse'>[number]>();
    expectTypeOf<Wire<'PasswordChangeResponse'>>().toExtend<PasswordChangeResponse>();
    expectTypeOf<SocialConnection>().toEqualTypeOf<Wire<'SocialAccountSchema'>>();
  });

  it('requests: whatever the client lets you send, the server schema accepts', () => {
    expectTypeOf<JoinInput>().toExtend<Wire<'JoinBody'>>();
    expectTypeOf<ProfileInput>().toExtend<Wire<'ProfileBody'>>();
    expectTypeOf<PasswordChangeInput>().toEqualTypeOf<Wire<'PasswordChangeBody'>>();
    expectTypeOf<{ email: string; password: string }>().toEqualTypeOf<Wire<'LoginBody'>>();
    expectTypeOf<SocialCredentials>().toExtend<Wire<'SocialLoginBody'>>();
  });
});
