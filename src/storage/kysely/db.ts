import type { Generated } from 'kysely';
import type { SessionRow } from './rows.js';

/** Table types for Kysely. Times are epoch milliseconds (bigint-safe, identical on SQLite and PostgreSQL). */
export interface UsersTable {
  id: Generated<number>;
  email: string;
  /** The e-mail folded for case-insensitive uniqueness and lookup (JS toLowerCase, which folds all of Unicode). */
  email_key: string;
  password: string | null;
  first_name: string;
  last_name: string;
  gender: string | null;
  date_of_birth: string | null;
  is_active: number;
  is_staff: number;
  is_superuser: number;
  date_joined: number;
  last_login: number | null;
  credentials_epoch: Generated<number>;
  email_verified: Generated<number>;
}

export type SessionsTable = SessionRow;

export interface AuthEventsTable {
  id: Generated<number>;
  kind: string;
  subject: string;
  expires_at: number;
  created_at: number;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
}

export interface PermissionsTable {
  id: Generated<number>;
  app_label: string;
  codename: string;
}

export interface UserGroupsTable {
  user_id: number;
  group_id: number;
}

export interface GroupPermissionsTable {
  group_id: number;
  permission_id: number;
}

export interface UserPermissionsTable {
  user_id: number;
  permission_id: number;
}

export interface DjangoUsersTable {
  django_id: number;
  user_id: number;
}

export interface SocialAccountsTable {
  id: Generated<number>;
  user_id: number;
  provider: string;
  subject: string;
  email: string | null;
  created_at: number;
}

export interface OneTimeTokensTable {
  purpose: string;
  user_id: number;
  token_hash: string;
  expires_at: number;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  kind: string;
  user_id: number | null;
  email: string | null;
  ip: string | null;
  user_agent: string | null;
  detail: string | null;
}

export interface Database {
  django_users: DjangoUsersTable;
  social_accounts: SocialAccountsTable;
  one_time_tokens: OneTimeTokensTable;
  audit_events: AuditEventsTable;
  groups: GroupsTable;
  permissions: PermissionsTable;
  user_groups: UserGroupsTable;
  group_permissions: GroupPermissionsTable;
  user_permissions: UserPermissionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  auth_events: AuthEventsTable;
}
