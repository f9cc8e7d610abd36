import { ImportError, type DjangoSource } from '../../storage/django/source.js';

/** A many-to-many table Django made for the user model, and its column naming the user. */
export interface UserLinkTable {
  table: string;
  userColumn: string;
}

/** Where each part of Django's auth data lives in the source database. */
export interface DjangoSchema {
  userTable: string;
  userColumns: ReadonlySet<string>;
  /** `<user table>_groups`; null when the user model has no groups (no PermissionsMixin). */
  memberships: UserLinkTable | null;
  /** `<user table>_user_permissions`; null likewise. */
  userPermissions: UserLinkTable | null;
  /** What was left out, and why, for the summary. */
  notes: string[];
}

/** Columns the import cannot do without (rows are read in `id` order); the rest are read when they exist. */
const REQUIRED: Record<string, string[]> = {
  auth_group: ['id', 'name'],
  auth_permission: ['id', 'content_type_id', 'codename'],
  django_content_type: ['id', 'app_label'],
  auth_group_permissions: ['id', 'group_id', 'permission_id'],
};
const USER_REQUIRED = ['id', 'email', 'password'];

function requireColumns(source: DjangoSource, table: string, columns: string[]): ReadonlySet<string> {
  const found = source.tables.get(table);
  if (!found)
    throw new ImportError(
      `table "${table}" does not exist in the Django database (is this the right database, and has it been migrated?)`,
    );
  const missing = columns.filter((c) => !found.has(c));
  if (missing.length > 0)
    throw new ImportError(`table "${table}" has no column ${missing.map((c) => `"${c}"`).join(', ')}`);
  return found;
}

/**
 * Django names the user's column in an m2m table after the model (`customuser_id` for
 * accounts.CustomUser, `user_id` for auth.User): the one `*_id` column besides the other side's.
 */
function linkTable(source: DjangoSource, table: string, otherColumn: string, notes: string[]): UserLinkTable | null {
  const columns = source.tables.get(table);
  if (!columns) {
    notes.push(`no table "${table}": nothing imported from it`);
    return null;
  }
  const candidates = [...columns].filter((c) => c.endsWith('_id') && c !== otherColumn);
  if (!columns.has('id') || !columns.has(otherColumn) || candidates.length !== 1) {
    throw new ImportError(
      `table "${table}" does not look like Django's m2m table (columns: ${[...columns].join(', ')})`,
    );
  }
  return { table, userColumn: candidates[0]! };
}

/** Checks the source has Django's auth tables and the user table; throws ImportError naming what is missing. */
export function resolveSchema(source: DjangoSource, userTable: string): DjangoSchema {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(userTable)) throw new ImportError(`"${userTable}" is not a table name`);
  const userColumns = requireColumns(source, userTable, USER_REQUIRED);
  for (const [table, columns] of Object.entries(REQUIRED)) requireColumns(source, table, columns);
  const notes: string[] = [];
  const memberships = linkTable(source, `${userTable}_groups`, 'group_id', notes);
  const userPermissions = linkTable(source, `${userTable}_user_permissions`, 'permission_id', notes);
  for (const optional of [
    'first_name',
    'last_name',
    'gender',
    'date_of_birth',
    'is_active',
    'is_staff',
    'is_superuser',
    'date_joined',
    'last_login',
  ]) {
    if (!userColumns.has(optional)) notes.push(`"${userTable}" has no column "${optional}": doorman's default used`);
  }
  return { userTable, userColumns, memberships, userPermissions, notes };
}
