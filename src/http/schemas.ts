import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox';
import { EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH } from '../users/fields.js';
import { MAX_TOKEN_LENGTH } from '../tokens/verify.js';

/**
 * Request and response schemas: Fastify validates bodies with them (errors become DRF field
 * errors in http/validation.ts), serialises responses with them, and OpenAPI is built from
 * them. Unknown body fields are dropped, as DRF ignores them.
 */
const required = (maxLength: number, description: string) => Type.String({ minLength: 1, maxLength, description });
const nullableString = (maxLength: number, description: string) =>
  Type.Optional(Type.Unsafe<string | null>({ type: ['string', 'null'], maxLength, description }));

const profileFields = {
  first_name: Type.Optional(Type.String({ maxLength: NAME_MAX_LENGTH })),
  last_name: Type.Optional(Type.String({ maxLength: NAME_MAX_LENGTH })),
  // Loose caps: a wrong value that fits gets the domain's own error ("not a valid choice",
  // "wrong format"), as DRF's ChoiceField and DateField answer, not a length error.
  gender: nullableString(64, '"male", "female", or empty'),
  date_of_birth: nullableString(64, 'YYYY-MM-DD'),
};

export const JoinBody = Type.Object({
  email: required(EMAIL_MAX_LENGTH, 'The login; unique, case-insensitively'),
  password1: required(PASSWORD_MAX_LENGTH, 'The password'),
  password2: required(PASSWORD_MAX_LENGTH, 'The password again'),
  ...profileFields,
});

export const LoginBody = Type.Object({
  email: required(EMAIL_MAX_LENGTH, 'E-mail address'),
  password: required(PASSWORD_MAX_LENGTH, 'Password'),
});

export const PasswordChangeBody = Type.Object({
  old_password: required(PASSWORD_MAX_LENGTH, 'The current password'),
  new_password1: required(PASSWORD_MAX_LENGTH, 'The new password'),
  new_password2: required(PASSWORD_MAX_LENGTH, 'The new password again'),
});

export const ProfileBody = Type.Object(profileFields);

export const EmailBody = Type.Object({ email: required(EMAIL_MAX_LENGTH, 'E-mail address') });
export const PasswordResetConfirmBody = Type.Object({
  uid: required(64, 'The {uid} of the reset link'),
  token: required(256, 'The {token} of the reset link'),
  new_password1: required(PASSWORD_MAX_LENGTH, 'The new password'),
  new_password2: required(PASSWORD_MAX_LENGTH, 'The new password again'),
});
export const VerifyEmailBody = Type.Object({ key: required(256, 'The {key} of the verification link') });

const token = (description: string) => Type.String({ minLength: 1, maxLength: MAX_TOKEN_LENGTH, description });
export const RefreshBody = Type.Object({ refresh: token('A refresh token') });
export const OptionalRefreshBody = Type.Object({
  refresh: Type.Optional(Type.String({ maxLength: MAX_TOKEN_LENGTH, description: 'A refresh token' })),
});
export const TokenBody = Type.Object({ token: token('A token') });

export const PublicUserSchema = Type.Object(
  {
    pk: Type.Integer(),
    email: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    gender: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
    date_of_birth: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
  },
  {
    description: 'The user (never a password hash)',
    examples: [
      { pk: 1, email: 'kim@example.com', first_name: '', last_name: '', gender: 'female', date_of_birth: '1999-02-03' },
    ],
  },
);

const JWT_EXAMPLE = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.c2lnbmF0dXJl';

const expirations = {
  access_expiration: Type.Optional(Type.String({ description: 'ISO 8601, when returnExpiration is on' })),
  refresh_expiration: Type.Optional(Type.String({ description: 'ISO 8601, when returnExpiration is on' })),
};

export const AuthResponse = Type.Object(
  {
    access: Type.String({ description: 'Access token (JWT)' }),
    refresh: Type.Optional(
      Type.String({ description: 'Refresh token (JWT); left out when it is set as an HttpOnly cookie instead' }),
    ),
    user: PublicUserSchema,
    ...expirations,
  },
  {
    description: "Signed in: a new session's tokens (also set as cookies in cookie mode) and the user",
    examples: [
      {
        access: JWT_EXAMPLE,
        refresh: JWT_EXAMPLE,
        user: { pk: 1, email: 'kim@example.com', first_name: '', last_name: '', gender: null, date_of_birth: null },
      },
    ],
  },
);
export const PairResponse = Type.Object(
  { access: Type.String(), refresh: Type.String() },
  { description: 'A new token pair', examples: [{ access: JWT_EXAMPLE, refresh: JWT_EXAMPLE }] },
);
export const RefreshResponse = Type.Object(
  {
    access: Type.String(),
    refresh: Type.Optional(
      Type.String({ description: 'With rotation; left out when it came from the HttpOnly cookie' }),
    ),
    ...expirations,
  },
  {
    description: 'A new access token (and with rotation a new refresh token; the old one is spent)',
    examples: [{ access: JWT_EXAMPLE, refresh: JWT_EXAMPLE }],
  },
);
export const SlidingResponse = Type.Object(
  { token: Type.String() },
  { description: 'A sliding token', examples: [{ token: JWT_EXAMPLE }] },
);
export const DetailResponse = Type.Object(
  { detail: Type.String() },
  { description: 'Done', examples: [{ detail: 'Successfully logged out.' }] },
);
export const EmptyResponse = Type.Object({}, { description: 'OK (an empty object, as simplejwt)', examples: [{}] });
export const MypageResponse = Type.Object(
  { message: Type.String() },
  { description: 'The greeting', examples: [{ message: '반갑습니다, kim@example.com님!' }] },
);
export const HealthResponse = Type.Object(
  { status: Type.String() },
  { description: 'Serving', examples: [{ status: 'ok' }] },
);
export const ReadyResponse = Type.Object(
  { status: Type.String() },
  { description: 'Ready for traffic', examples: [{ status: 'ready' }] },
);
export const UnreadyResponse = Type.Object(
  { status: Type.String(), detail: Type.String() },
  {
    description: 'Not ready (with Retry-After): the database does not answer or is not migrated',
    examples: [{ status: 'unavailable', detail: 'database unreachable' }],
  },
);
/** The password change's answer: the detail, and the tokens of the caller's new session. */
export const PasswordChangeResponse = Type.Object(
  { detail: Type.String(), access: Type.String(), refresh: Type.String() },
  {
    description: "Saved: every session ended, the caller's goes on as a new one with these tokens",
    examples: [{ detail: 'New password has been saved.', access: JWT_EXAMPLE, refresh: JWT_EXAMPLE }],
  },
);
export const SessionParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const SessionListResponse = Type.Array(
  Type.Object({
    id: Type.String(),
    created: Type.String(),
    last_used: Type.String(),
    user_agent: Type.Union([Type.String(), Type.Null()]),
    ip: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean(),
  }),
  { description: "The caller's live sessions, newest first" },
);
/** Join: tokens and the user, or (mandatory verification) only `{"detail": "Verification e-mail sent."}`. */
export const JoinResponse = Type.Union([AuthResponse, DetailResponse], {
  description:
    'Joined: the session\'s tokens and the user; with mandatory verification only {"detail": "Verification e-mail sent."}',
});

export const AuditEventSchema = Type.Object({
  id: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
  kind: Type.String(),
  user: Type.Union([Type.Integer(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Union([Type.String(), Type.Null()]),
});
/** DRF's LimitOffsetPagination. */
export const AuditListResponse = Type.Object(
  {
    count: Type.Integer(),
    next: Type.Union([Type.String(), Type.Null()]),
    previous: Type.Union([Type.String(), Type.Null()]),
    results: Type.Array(AuditEventSchema),
  },
  { description: 'Security events, newest first (DRF LimitOffsetPagination)' },
);
export const AuditQuerystring = Type.Object({
  user: Type.Optional(Type.String({ maxLength: 254, description: 'A user id or e-mail' })),
  kind: Type.Optional(Type.String({ maxLength: 32 })),
  since: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601, inclusive' })),
  until: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601, exclusive' })),
  // Query strings are not coerced (coerceTypes is off), so numbers come as digits.
  limit: Type.Optional(
    Type.String({ pattern: '^(500|[1-4][0-9]{2}|[1-9][0-9]?)$', description: '1 to 500 (default 50)' }),
  ),
  offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$', description: 'default 0' })),
});

export type JoinBody = Static<typeof JoinBody>;
export type LoginBody = Static<typeof LoginBody>;

// ---- Error answers (DRF's bodies), for the route schemas and so for OpenAPI --------------
// Each error schema allows properties beyond those listed: Fastify serialises an error with
// the route's schema for its status, and a documented schema must never drop a field of a body.

const open = { additionalProperties: true } as const;
const detailBody = (description: string, examples: Array<Record<string, unknown>>) =>
  Type.Object(
    { detail: Type.String(), code: Type.String({ description: 'A stable machine code (docs/errors.md)' }) },
    { ...open, description, examples },
  );

/** DRF's field errors: `{"<field>": ["message", ...]}`, `non_field_errors` for the rest. */
export const FieldErrorsResponse = Type.Object(
  {},
  {
    additionalProperties: Type.Array(Type.String()),
    description: 'Field errors: each field with its messages; errors not tied to one field in non_field_errors',
    examples: [
      {
        email: ['This field is required.'],
        password1: ['This password is too short. It must contain at least 8 characters.'],
      },
      { non_field_errors: ['Unable to log in with provided credentials.'] },
    ],
  },
);

const ParseErrorResponse = detailBody('A body that is not JSON (or not a form)', [
  { detail: 'JSON parse error - the request body is not valid JSON.', code: 'parse_error' },
]);

export const BadRequestResponse = Type.Union([FieldErrorsResponse, ParseErrorResponse], {
  description: 'Invalid input: field errors, or a body that could not be parsed',
});

const TokenMessage = Type.Object(
  { token_class: Type.String(), token_type: Type.String(), message: Type.String() },
  open,
);

export const UnauthorizedResponse = Type.Object(
  {
    detail: Type.String(),
    code: Type.String({
      description: 'not_authenticated, token_not_valid, authentication_failed, user_not_found, user_inactive, ...',
    }),
    messages: Type.Optional(
      Type.Array(TokenMessage, { description: 'simplejwt: why each token type refused the token' }),
    ),
  },
  {
    ...open,
    description:
      'Not authenticated: no credentials, or a token that is invalid, expired or revoked (with WWW-Authenticate: Bearer realm="api")',
    examples: [
      { detail: 'Authentication credentials were not provided.', code: 'not_authenticated' },
      {
        detail: 'Given token not valid for any token type',
        code: 'token_not_valid',
        messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
      },
    ],
  },
);

export const ForbiddenResponse = detailBody(
  'Authenticated but not allowed: a missing permission, or (cookie mode) a missing or wrong CSRF token',
  [
    { detail: 'You do not have permission to perform this action.', code: 'permission_denied' },
    { detail: 'CSRF Failed: CSRF token missing.', code: 'csrf_failed' },
  ],
);
export const NotFoundResponse = detailBody('No such object', [{ detail: 'Not found.', code: 'not_found' }]);
export const PayloadTooLargeResponse = detailBody('The body is larger than bodyLimit', [
  { detail: 'Request body is too large.', code: 'payload_too_large' },
]);
export const UnsupportedMediaResponse = detailBody('A body that is neither JSON nor a form', [
  { detail: 'Unsupported media type "text/plain" in request.', code: 'unsupported_media_type' },
]);
export const ThrottledResponse = detailBody('Too many requests (with Retry-After)', [
  { detail: 'Request was throttled. Expected available in 30 seconds.', code: 'throttled' },
]);
export const NoContentResponse = Type.Unsafe<void>({ type: 'null', description: 'No content' });

export const ServerBusyResponse = detailBody(
  'Too many password hashes queued (passwordHashQueueLimit): try again shortly',
  [{ detail: 'The server is busy; try again shortly.', code: 'server_busy' }],
);

/** The error answers a route can give, by what it does. */
export const ERROR_CASES = {
  /** It reads a body: field errors, unparsable or oversized bodies, other media types. */
  body: { 400: BadRequestResponse, 413: PayloadTooLargeResponse, 415: UnsupportedMediaResponse },
  /** It needs a user, or refuses a token it is given (401). */
  auth: { 401: UnauthorizedResponse },
  /** Cookie mode: a change authenticated by cookie without the CSRF header, or a cross-site login/join/refresh/logout (403). */
  csrf: { 403: ForbiddenResponse },
  /** It needs a permission (403). */
  permission: { 403: ForbiddenResponse },
  /** It looks an object up by id (404). */
  lookup: { 404: NotFoundResponse },
  /** It is throttled (429). */
  throttled: { 429: ThrottledResponse },
  /** It hashes a password, and the hashing queue may be full (503). */
  hashing: { 503: ServerBusyResponse },
} as const;

export type ErrorCase = keyof typeof ERROR_CASES;

/**
 * A route's `response` schemas: its success answers plus the DRF error bodies of the cases
 * that apply, so the OpenAPI document lists every answer.
 *
 * @example
 * app.post('/login/', { schema: { body: LoginBody, response: replies({ 200: AuthResponse }, 'body', 'throttled') } }, login);
 */
export function replies<S extends Record<number, TSchema>>(success: S, ...cases: ErrorCase[]): S {
  // Typed as the success answers only: handlers return those; the error handler sends the rest.
  return Object.assign({}, ...cases.map((c) => ERROR_CASES[c]), success) as S;
}
const providerToken = (description: string) => Type.Optional(Type.String({ maxLength: 16384, description }));

/** Social login's SPA/mobile body (dj-rest-auth's SocialLoginSerializer): one of code, id_token, access_token. */
export const SocialLoginBody = Type.Object({
  code: providerToken('The authorization code the client received'),
  code_verifier: Type.Optional(
    Type.String({ maxLength: 128, description: 'The PKCE verifier, when the client used PKCE' }),
  ),
  redirect_uri: Type.Optional(
    Type.String({
      maxLength: 2048,
      description: 'The redirect_uri the code was issued for; one of DOORMAN_SOCIAL_REDIRECT_URIS',
    }),
  ),
  nonce: Type.Optional(
    Type.String({ maxLength: 512, description: 'The nonce the client sent; the id_token must carry it' }),
  ),
  id_token: providerToken("An OpenID Connect id_token issued to doorman's client id"),
  access_token: providerToken('An OAuth 2 access token (providers with acceptAccessToken only)'),
});

export const ProviderPath = Type.Object({
  provider: Type.String({ maxLength: 40, description: 'A provider name from DOORMAN_SOCIAL_PROVIDERS' }),
});
export const ConnectionPath = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,15}$', description: 'A connection id' }),
});

export const SocialAccountSchema = Type.Object(
  {
    id: Type.Integer(),
    provider: Type.String(),
    uid: Type.String({ description: "The provider's id for the person" }),
    email: Type.Union([Type.String(), Type.Null()]),
    created: Type.String({ format: 'date-time' }),
  },
  {
    description: 'A provider connection',
    examples: [
      { id: 1, provider: 'google', uid: '1098…', email: 'kim@example.com', created: '2026-01-01T00:00:00.000Z' },
    ],
  },
);
export const SocialAccountList = Type.Array(SocialAccountSchema, {
  description: "The user's provider connections, oldest first",
});
/** A 302: the body is empty, the Location header says where. */
export const RedirectResponse = (description: string) => Type.Unsafe<void>({ type: 'null', description });
export const SocialCallbackQuery = Type.Object({}, { additionalProperties: true });
