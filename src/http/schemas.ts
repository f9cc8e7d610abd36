import { Type, type Static } from '@fastify/type-provider-typebox';
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

const token = (description: string) => Type.String({ minLength: 1, maxLength: MAX_TOKEN_LENGTH, description });
export const RefreshBody = Type.Object({ refresh: token('A refresh token') });
export const OptionalRefreshBody = Type.Object({ refresh: Type.Optional(Type.String({ maxLength: MAX_TOKEN_LENGTH, description: 'A refresh token' })) });
export const TokenBody = Type.Object({ token: token('A token') });

export const PublicUserSchema = Type.Object({
  pk: Type.Integer(),
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  gender: Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()]),
  date_of_birth: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
});

const expirations = {
  access_expiration: Type.Optional(Type.String({ description: 'ISO 8601, when returnExpiration is on' })),
  refresh_expiration: Type.Optional(Type.String({ description: 'ISO 8601, when returnExpiration is on' })),
};

export const AuthResponse = Type.Object({ access: Type.String(), refresh: Type.Optional(Type.String()), user: PublicUserSchema, ...expirations });
export const PairResponse = Type.Object({ access: Type.String(), refresh: Type.String() });
export const RefreshResponse = Type.Object({ access: Type.String(), refresh: Type.Optional(Type.String()), ...expirations });
export const SlidingResponse = Type.Object({ token: Type.String() });
export const DetailResponse = Type.Object({ detail: Type.String() });
export const EmptyResponse = Type.Object({});
export const MypageResponse = Type.Object({ message: Type.String() });

export type JoinBody = Static<typeof JoinBody>;
export type LoginBody = Static<typeof LoginBody>;
