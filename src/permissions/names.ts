/**
 * Django permission names: `<app_label>.<codename>`, the default codenames being
 * `add_<model>`, `change_<model>`, `delete_<model>` and `view_<model>`.
 */
const PART = /^[a-z][a-z0-9_]{0,99}$/;

export interface PermissionName {
  appLabel: string;
  codename: string;
}

/**
 * Parses `board.change_post`; null when it is not a well-formed permission name.
 *
 * @example
 * parsePermissionName('board.change_post') // { appLabel: 'board', codename: 'change_post' }
 */
export function parsePermissionName(name: unknown): PermissionName | null {
  if (typeof name !== 'string' || name.length > 201) return null;
  const dot = name.indexOf('.');
  const appLabel = name.slice(0, dot);
  const codename = name.slice(dot + 1);
  if (dot < 0 || !PART.test(appLabel) || !PART.test(codename)) return null;
  return { appLabel, codename };
}

/** The four default actions Django creates for every model. */
export type ModelAction = 'add' | 'change' | 'delete' | 'view';

/**
 * `board.post` + `change` → `board.change_post`.
 *
 * @example
 * modelPermission('board.post', 'delete') // 'board.delete_post'
 */
export function modelPermission(model: string, action: ModelAction): string {
  const dot = model.indexOf('.');
  const name = `${model.slice(0, dot)}.${action}_${model.slice(dot + 1)}`;
  if (dot < 0 || !parsePermissionName(name))
    throw new TypeError(`model must be "<app_label>.<model_name>", got "${model}"`);
  return name;
}
