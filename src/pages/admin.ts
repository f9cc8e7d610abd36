import { sessionEnded, type Page } from './account.js';
import { html } from './escape.js';
import { form } from './forms.js';
import type { PageContext } from './layout.js';

/**
 * The admin UI's pages: server-rendered shells that the page script fills from the admin API
 * (JSON, staff only, with the signed-in staff member's cookies and CSRF). A non-staff visitor
 * sees the API's refusal, never data.
 */
function refused(ctx: PageContext) {
  return html`${sessionEnded(ctx)}<p class="error form-error" id="admin-form-error" role="alert"></p><p class="notice" id="admin-notice" role="status"></p>`;
}

export function usersPage(ctx: PageContext): Page {
  const { t, admin } = ctx;
  return {
    page: 'admin-users',
    title: t.users,
    body: html`${refused(ctx)}<div class="card">
<form class="search" data-form="user-search" role="search" novalidate>
<div class="field"><label for="user-search-q">${t.searchUsers}</label><input id="user-search-q" name="search" type="search"></div>
<button type="submit">${t.search}</button>
</form>
<table class="list"><thead><tr><th scope="col">${t.email}</th><th scope="col">${t.active}</th><th scope="col">${t.staff}</th><th scope="col">${t.superuser}</th></tr></thead>
<tbody id="users-list"><tr><td colspan="4">${t.loading}</td></tr></tbody></table>
<nav class="pager" aria-label="${t.page}"><button type="button" id="users-previous" class="secondary" disabled>${t.previous}</button><span id="users-page"></span><button type="button" id="users-next" class="secondary" disabled>${t.next}</button></nav>
<p><a class="button" href="${admin}/users/new/">${t.createUser}</a></p>
</div>`,
  };
}

export function userNewPage(ctx: PageContext): Page {
  const { t } = ctx;
  return {
    page: 'admin-user-new',
    title: t.createUser,
    body: form(
      'user-create',
      [
        { name: 'email', label: t.email, type: 'email', autocomplete: 'off', required: true },
        { name: 'password', label: t.password, type: 'password', autocomplete: 'new-password', required: true },
      ],
      t.create,
    ),
  };
}

export function userPage(ctx: PageContext): Page {
  const { t, admin } = ctx;
  return {
    page: 'admin-user',
    title: t.users,
    body: html`${refused(ctx)}<div class="card" id="user-detail">
<h2 id="user-email">${t.loading}</h2>
<dl class="facts"><dt>${t.active}</dt><dd id="user-active"></dd><dt>${t.staff}</dt><dd id="user-staff"></dd><dt>${t.superuser}</dt><dd id="user-superuser"></dd></dl>
<div class="actions">
<button type="button" id="user-toggle-active">${t.deactivate}</button>
<button type="button" id="user-toggle-staff" class="secondary">${t.staff}</button>
<button type="button" id="user-toggle-superuser" class="secondary">${t.superuser}</button>
</div>
<h3>${t.groups}</h3><ul id="user-groups" class="tags"></ul>
<form class="inline" data-form="user-group" novalidate><div class="field"><label for="user-group-group">${t.addToGroup}</label><select id="user-group-group" name="group" aria-describedby="user-group-group-error"></select><p class="error" id="user-group-group-error"></p></div><button type="submit">${t.addToGroup}</button></form>
<h3>${t.directPermissions}</h3><ul id="user-permissions" class="tags"></ul>
<form class="inline" data-form="user-permission" novalidate><div class="field"><label for="user-permission-permission">${t.permissionName}</label><input id="user-permission-permission" name="permission" aria-describedby="user-permission-permission-error"><p class="error" id="user-permission-permission-error"></p></div><button type="submit">${t.grant}</button></form>
<h3>${t.sessions}</h3>
<table class="list"><thead><tr><th scope="col">${t.sessionDevice}</th><th scope="col">${t.sessionAddress}</th><th scope="col">${t.sessionCreated}</th><th scope="col"><span class="visually-hidden">${t.endSession}</span></th></tr></thead><tbody id="user-sessions"></tbody></table>
<p><button type="button" id="user-delete" class="danger">${t.deleteUser}</button></p>
<p><a href="${admin}/">${t.backToUsers}</a></p>
</div>`,
  };
}

export function groupsPage(ctx: PageContext): Page {
  const { t } = ctx;
  return {
    page: 'admin-groups',
    title: t.groups,
    body: html`${refused(ctx)}<div class="card"><ul id="groups-list" class="rows"><li>${t.loading}</li></ul></div>
${form('group-create', [{ name: 'name', label: t.groupName, autocomplete: 'off', required: true }], t.createGroup)}`,
  };
}

export function groupPage(ctx: PageContext): Page {
  const { t, admin } = ctx;
  return {
    page: 'admin-group',
    title: t.groups,
    body: html`${refused(ctx)}<div class="card">
<h2 id="group-name">${t.loading}</h2>
<h3>${t.permissions}</h3><ul id="group-permissions" class="tags"></ul>
<form class="inline" data-form="group-permission" novalidate><div class="field"><label for="group-permission-permission">${t.permissionName}</label><input id="group-permission-permission" name="permission" aria-describedby="group-permission-permission-error"><p class="error" id="group-permission-permission-error"></p></div><button type="submit">${t.grant}</button></form>
<p><button type="button" id="group-delete" class="danger">${t.deleteGroup}</button></p>
<p><a href="${admin}/groups/">${t.groups}</a></p>
</div>`,
  };
}

/** The audit log (GET /admin/audit/): filtered by user and kind, newest first, 50 a page. */
export function auditPage(ctx: PageContext): Page {
  const { t, auditKinds } = ctx;
  return {
    page: 'admin-audit',
    title: t.audit,
    body: html`${refused(ctx)}<div class="card">
<form class="search" data-form="audit-filter" role="search" novalidate>
<div class="field"><label for="audit-filter-user">${t.auditFilterUser}</label><input id="audit-filter-user" name="user" type="search" aria-describedby="audit-filter-user-error"><p class="error" id="audit-filter-user-error"></p></div>
<div class="field"><label for="audit-filter-kind">${t.auditFilterKind}</label><select id="audit-filter-kind" name="kind"><option value="">${t.auditAllKinds}</option>${auditKinds.map((kind) => html`<option value="${kind}">${kind}</option>`)}</select></div>
<button type="submit">${t.filter}</button>
</form>
<table class="list"><thead><tr><th scope="col">${t.auditTime}</th><th scope="col">${t.auditKind}</th><th scope="col">${t.auditUser}</th><th scope="col">${t.sessionAddress}</th><th scope="col">${t.auditDetail}</th></tr></thead>
<tbody id="audit-list"><tr><td colspan="5">${t.loading}</td></tr></tbody></table>
<nav class="pager" aria-label="${t.page}"><button type="button" id="audit-previous" class="secondary" disabled>${t.previous}</button><span id="audit-page"></span><button type="button" id="audit-next" class="secondary" disabled>${t.next}</button></nav>
</div>`,
  };
}

/** The admin pages by their path under the admin prefix (":id" is a path parameter). */
export const ADMIN_PAGES: Record<string, (ctx: PageContext) => Page> = {
  '/': usersPage,
  '/users/new/': userNewPage,
  '/users/:id/': userPage,
  '/groups/': groupsPage,
  '/groups/:id/': groupPage,
  '/audit/': auditPage,
};
