import { parsePermissionName } from '../../permissions/names.js';
import { hashFamily } from '../../passwords/hashers/dispatch.js';
import type { Storage } from '../../storage/ports.js';
import type { NewUser, User, UserPatch } from '../../users/types.js';
import { toNewUser, type UserRow } from './rows.js';
import { resolveSchema, type UserLinkTable } from './schema.js';
import type { DjangoSource } from '../../storage/django/source.js';
import { dryRunTarget, storageTarget, type ImportTarget } from './target.js';

export interface ImportOptions {
  /** The custom user model's table (default `accounts_customuser`; `auth_user` for Django's own). */
  table?: string;
  /** Read and compare everything, write nothing. */
  dryRun?: boolean;
  /** Rows read per query (default 1,000). */
  batchSize?: number;
  /** After a user was updated (not in a dry run): running servers must drop their cached state. */
  userUpdated?: (user: User, patch: UserPatch) => Promise<void>;
  /** After grants or memberships were added (not in a dry run). */
  permissionsChanged?: () => Promise<void>;
}

export interface Counts {
  created: number;
  updated: number;
  /** Already there and unchanged, or not importable (the notes say which). */
  skipped: number;
}

export interface ImportSummary {
  dryRun: boolean;
  users: Counts;
  groups: Counts;
  groupPermissions: Counts;
  userPermissions: Counts;
  memberships: Counts;
  /** What was left out or changed on the way, one line each. */
  notes: string[];
}

const MAX_NOTES = 50;
const counts = (): Counts => ({ created: 0, updated: 0, skipped: 0 });

/**
 * Rows of `table` in primary-key order, `size` at a time (keyset pagination: constant cost per
 * batch however large the table). Every table Django creates has an integer `id`.
 */
async function* batches(
  source: DjangoSource,
  table: string,
  size: number,
): AsyncGenerator<Array<Record<string, unknown>>> {
  let after: number | null = null;
  for (;;) {
    let query = source.db.selectFrom(table).selectAll().orderBy('id').limit(size);
    if (after !== null) query = query.where('id', '>', after);
    const rows = (await query.execute()) as Array<Record<string, unknown>>;
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows.at(-1)!.id);
    if (rows.length < size) return;
  }
}

/** The fields of a Django user that differ from doorman's copy; the password only while doorman's is still Django's. */
function changes(current: User, incoming: NewUser): UserPatch {
  const patch: UserPatch = {};
  const same = (a: Date | null | undefined, b: Date | null | undefined) =>
    (a?.getTime() ?? null) === (b?.getTime() ?? null);
  // A password set or upgraded in doorman (argon2id) is newer than anything in Django: keep it.
  if (
    current.password !== incoming.password &&
    (current.password === null || hashFamily(current.password) !== 'doorman')
  )
    patch.password = incoming.password;
  if (current.firstName !== incoming.firstName) patch.firstName = incoming.firstName!;
  if (current.lastName !== incoming.lastName) patch.lastName = incoming.lastName!;
  if (current.gender !== incoming.gender) patch.gender = incoming.gender!;
  if (current.dateOfBirth !== incoming.dateOfBirth) patch.dateOfBirth = incoming.dateOfBirth!;
  if (current.isActive !== incoming.isActive) patch.isActive = incoming.isActive!;
  if (current.isStaff !== incoming.isStaff) patch.isStaff = incoming.isStaff!;
  if (current.isSuperuser !== incoming.isSuperuser) patch.isSuperuser = incoming.isSuperuser!;
  if (
    !same(current.lastLogin, incoming.lastLogin) &&
    incoming.lastLogin &&
    (!current.lastLogin || incoming.lastLogin > current.lastLogin)
  )
    patch.lastLogin = incoming.lastLogin;
  if (incoming.dateJoined && !same(current.dateJoined, incoming.dateJoined)) patch.dateJoined = incoming.dateJoined;
  return patch;
}

/**
 * Imports Django's users, groups, permissions and memberships into doorman: `python manage.py
 * dumpdata` without the dump. Idempotent: a Django user is found again by the link an earlier
 * run recorded (django_users) or by e-mail, a group by name, a grant or membership by its
 * pair; changed users are updated, nothing is duplicated. Password hashes are copied as they
 * are and upgraded to argon2id at each user's next login. Nothing is deleted.
 */
export async function importDjango(
  source: DjangoSource,
  storage: Storage,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const schema = resolveSchema(source, options.table ?? 'accounts_customuser');
  const size = options.batchSize ?? 1000;
  const target: ImportTarget = options.dryRun ? dryRunTarget(storage) : storageTarget(storage);
  const summary: ImportSummary = {
    dryRun: options.dryRun === true,
    users: counts(),
    groups: counts(),
    groupPermissions: counts(),
    userPermissions: counts(),
    memberships: counts(),
    notes: [...schema.notes],
  };
  let dropped = 0;
  const note = (line: string) => (summary.notes.length < MAX_NOTES ? summary.notes.push(line) : dropped++);

  const permissions = await readPermissions(source, size, note);
  const groups = new Map<number, number>();
  for await (const rows of batches(source, 'auth_group', size)) {
    for (const row of rows) {
      const name = String(row.name);
      const existing = await target.findGroup(name);
      if (existing !== null) summary.groups.skipped++;
      else summary.groups.created++;
      groups.set(Number(row.id), existing ?? (await target.createGroup(name)));
    }
  }
  for await (const rows of batches(source, 'auth_group_permissions', size)) {
    for (const row of rows) {
      const group = groups.get(Number(row.group_id));
      const permission = permissions.get(Number(row.permission_id));
      tally(
        summary.groupPermissions,
        group !== undefined && permission !== undefined && (await target.grantToGroup(group, permission)),
      );
    }
  }

  const users = new Map<number, number>();
  const owners = new Map<number, number>();
  for await (const rows of batches(source, schema.userTable, size)) {
    for (const row of rows)
      await importUser(
        row as UserRow,
        target,
        users,
        owners,
        summary.users,
        note,
        options.dryRun ? undefined : options.userUpdated,
      );
  }
  if (schema.userPermissions) {
    await importLinks(
      source,
      schema.userPermissions,
      'permission_id',
      size,
      summary.userPermissions,
      (userId, id) => {
        const permission = permissions.get(id);
        return permission === undefined ? Promise.resolve(false) : target.grantToUser(userId, permission);
      },
      users,
    );
  }
  if (schema.memberships) {
    await importLinks(
      source,
      schema.memberships,
      'group_id',
      size,
      summary.memberships,
      (userId, id) => {
        const group = groups.get(id);
        return group === undefined ? Promise.resolve(false) : target.addToGroup(userId, group);
      },
      users,
    );
  }
  if (dropped > 0) summary.notes.push(`… and ${dropped} more notes`);
  const granted = summary.groupPermissions.created + summary.userPermissions.created + summary.memberships.created;
  if (!options.dryRun && granted > 0) await options.permissionsChanged?.();
  return summary;
}

const tally = (c: Counts, created: boolean) => (created ? c.created++ : c.skipped++);

/** auth_permission joined with django_content_type: Django's `<app_label>.<codename>` by permission id. */
async function readPermissions(
  source: DjangoSource,
  size: number,
  note: (line: string) => void,
): Promise<Map<number, string>> {
  const labels = new Map<number, string>();
  for await (const rows of batches(source, 'django_content_type', size))
    for (const row of rows) labels.set(Number(row.id), String(row.app_label));
  const names = new Map<number, string>();
  for await (const rows of batches(source, 'auth_permission', size)) {
    for (const row of rows) {
      const name = `${labels.get(Number(row.content_type_id)) ?? '?'}.${String(row.codename)}`;
      if (parsePermissionName(name)) names.set(Number(row.id), name);
      else note(`permission ${String(row.id)} "${name}" is not a permission name doorman accepts: not imported`);
    }
  }
  return names;
}

async function importUser(
  row: UserRow,
  target: ImportTarget,
  users: Map<number, number>,
  owners: Map<number, number>,
  c: Counts,
  note: (line: string) => void,
  updated?: ImportOptions['userUpdated'],
): Promise<void> {
  const djangoId = Number(row.id);
  const incoming = toNewUser(row);
  if (typeof incoming === 'string') {
    c.skipped++;
    note(`user ${djangoId}: ${incoming}: not imported`);
    return;
  }
  const current = (await target.linkedUser(djangoId)) ?? (await target.findUser(incoming.email));
  const owner = current ? owners.get(current.id) : undefined;
  if (owner !== undefined && owner !== djangoId) {
    // Django's e-mail uniqueness is case-sensitive (or absent, in auth_user); doorman's is not.
    c.skipped++;
    note(
      `user ${djangoId}: e-mail ${incoming.email} is Django user ${owner}'s in doorman (e-mails are unique regardless of case): not imported`,
    );
    return;
  }
  if (current) {
    const patch = changes(current, incoming);
    if (current.email.toLowerCase() !== incoming.email.toLowerCase()) {
      note(
        `user ${djangoId}: e-mail is now ${incoming.email} in Django; doorman keeps ${current.email} (change it there by hand)`,
      );
    }
    if (Object.keys(patch).length > 0) {
      await target.updateUser(current.id, patch);
      await updated?.(current, patch);
      c.updated++;
    } else {
      c.skipped++;
    }
    users.set(djangoId, current.id);
    owners.set(current.id, djangoId);
    await target.link(djangoId, current.id);
    return;
  }
  // Keep Django's primary key when doorman has no user by that id: the same numbers in both.
  if (await target.idTaken(djangoId)) delete incoming.id;
  // Imported users were users of the old system: they count as verified, like the users that
  // existed before migration 0006 (issue 14), so mandatory verification does not lock them out.
  const id = await target.createUser({ ...incoming, emailVerified: true });
  users.set(djangoId, id);
  owners.set(id, djangoId);
  await target.link(djangoId, id);
  c.created++;
}

async function importLinks(
  source: DjangoSource,
  link: UserLinkTable,
  otherColumn: string,
  size: number,
  c: Counts,
  add: (userId: number, otherId: number) => Promise<boolean>,
  users: Map<number, number>,
): Promise<void> {
  for await (const rows of batches(source, link.table, size)) {
    for (const row of rows) {
      const userId = users.get(Number(row[link.userColumn]));
      tally(c, userId !== undefined && (await add(userId, Number(row[otherColumn]))));
    }
  }
}
