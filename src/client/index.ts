/**
 * `@doorman-auth/server/client`: a typed client for doorman's account API, for browsers and Node 20+.
 * No dependencies and no Node built-ins; it imports nothing from the server.
 *
 * @example
 * import { createDoormanClient, DoormanError } from '@doorman-auth/server/client';
 * const client = createDoormanClient({ mode: 'cookie' });
 * await client.login('kim@example.com', 'correct horse 9');
 */
export { createDoormanClient, type DoormanClient } from './client.js';
export { DoormanError } from './errors.js';
export { memoryTokenStorage, type TokenStorage, type Tokens } from './token-storage.js';
export type { ClientMode, ClientOptions, RequestOptions } from './transport.js';
export type {
  AuthResponse,
  DetailResponse,
  JoinInput,
  MypageResponse,
  PasswordChangeInput,
  PasswordChangeResponse,
  PasswordResetConfirmInput,
  ProfileInput,
  RefreshResponse,
  Session,
  SocialConnection,
  SocialCredentials,
  User,
} from './types.js';
