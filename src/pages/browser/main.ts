/**
 * The pages' one script (an ES module, loaded by every page; no framework): it sends the
 * forms with doorman/client in the pages' cookie mode (HttpOnly token cookies, the CSRF
 * cookie echoed in the CSRF header, a silent refresh when the access token has expired) and
 * shows each error next to its field. Compiled by tsc (tsconfig.pages.json) to
 * dist/pages/browser/main.js; it imports dist/client/, both served under /_doorman/.
 */
import { createDoormanClient, DoormanError, type DoormanClient } from '../../client/index.js';
import { PAGE_COOKIES, PAGES_HEADER } from '../transport.js';
import { API_MESSAGES, translateApiMessage } from './api-messages.js';

type Messages = Record<string, string>;

const body = document.body;
const page = body.dataset.page ?? '';
const account = body.dataset.account ?? '/account';
const admin = body.dataset.admin ?? '';
const t: Messages = JSON.parse(document.getElementById('doorman-messages')?.textContent ?? '{}');

const client: DoormanClient = createDoormanClient({
  mode: 'cookie',
  accountPath: account,
  csrfCookieName: PAGE_COOKIES.csrf,
  csrfHeaderName: body.dataset.csrfHeader ?? 'X-CSRFToken',
  // Every request asks for the pages' cookie transport; same-origin only.
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set(PAGES_HEADER, 'cookie');
    return fetch(input, { ...init, headers, credentials: 'same-origin' });
  },
  onSessionEnd: () => sessionEnded(),
});

const byId = <T extends HTMLElement = HTMLElement>(id: string): T | null => document.getElementById(id) as T | null;

/** The signed-in part goes, the "session ended, log in" message comes. */
function sessionEnded(): void {
  const ended = byId('session-ended');
  if (!ended) return;
  // Everything that needs a session goes (the page's other cards and forms).
  document.querySelectorAll('main > .card').forEach((card) => {
    if (card !== ended) card.setAttribute('hidden', '');
  });
  ended.removeAttribute('hidden');
}

const isAuthFailure = (error: unknown) => error instanceof DoormanError && error.status === 401;

/** Runs a request with the buttons disabled (no double submit), and puts them back after. */
async function busy<T>(buttons: Array<HTMLButtonElement | null>, run: () => Promise<T>): Promise<T> {
  for (const b of buttons) if (b) b.disabled = true;
  document.body.setAttribute('aria-busy', 'true');
  try {
    return await run();
  } finally {
    for (const b of buttons) if (b) b.disabled = false;
    document.body.removeAttribute('aria-busy');
  }
}

function setText(id: string, text: string): void {
  const element = byId(id);
  if (element) element.textContent = text;
}

function clearErrors(name: string): void {
  const form = document.querySelector<HTMLFormElement>(`form[data-form="${name}"]`);
  form?.querySelectorAll('.error').forEach((e) => (e.textContent = ''));
  form?.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
  setText(`${name}-notice`, '');
}

/**
 * DRF's errors where they belong: a field's messages under that field (its input marked
 * aria-invalid, the message tied to it by aria-describedby), the rest at the form's top.
 */
function showError(name: string, error: unknown, formError = `${name}-form-error`): void {
  if (!(error instanceof DoormanError)) {
    setText(formError, t.error ?? 'Error');
    return;
  }
  if (error.status === 401 && byId('session-ended')) sessionEnded();
  const table = API_MESSAGES[document.documentElement.lang] ?? {};
  const say = (message: string) => translateApiMessage(table, message);
  const general: string[] = [];
  if (error.detail) general.push(say(error.detail));
  let focused = false;
  for (const [field, messages] of Object.entries(error.fieldErrors)) {
    const input = byId(`${name}-${field}`);
    const slot = byId(`${name}-${field}-error`);
    if (input && slot) {
      slot.textContent = messages.map(say).join(' ');
      input.setAttribute('aria-invalid', 'true');
      if (!focused) input.focus();
      focused = true;
    } else general.push(...messages.map(say));
  }
  setText(formError, general.join(' '));
}

/** A form's fields as strings; empty optional values left out (the API's defaults apply). */
function values(form: HTMLFormElement, optional: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    if (typeof value !== 'string' || (value === '' && optional.includes(key))) return;
    out[key] = value;
  });
  return out;
}

/** Wires a form: submit sends it (buttons disabled meanwhile), errors shown, success handled. */
function onSubmit(
  name: string,
  send: (data: Record<string, string>, form: HTMLFormElement) => Promise<void>,
  optional: readonly string[] = [],
): void {
  const form = document.querySelector<HTMLFormElement>(`form[data-form="${name}"]`);
  if (!form) return;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(name);
    const buttons = [...form.querySelectorAll('button')];
    void busy(buttons, () => send(values(form, optional), form)).catch((error) => showError(name, error));
  });
}

function onClick(
  id: string,
  run: (button: HTMLButtonElement) => Promise<void>,
  onError: (error: unknown) => void,
): void {
  const button = byId<HTMLButtonElement>(id);
  button?.addEventListener('click', () => void busy([button], () => run(button)).catch(onError));
}

const go = (path: string) => window.location.assign(path);

/** ?next= of the login page: only a path on this site ("/x", never "//host" or "/\\host": no open redirect). */
function nextPath(): string | null {
  const next = new URLSearchParams(window.location.search).get('next');
  return next && /^\/(?![\/\\])/.test(next) ? next : null;
}
const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString(document.documentElement.lang) : '');

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function button(
  text: string,
  onPress: (b: HTMLButtonElement) => Promise<void>,
  onError: (error: unknown) => void,
  className = 'secondary',
): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  b.addEventListener('click', () => void busy([b], () => onPress(b)).catch(onError));
  return b;
}

// ---- account pages ----

async function greet(): Promise<void> {
  try {
    setText('greeting', (await client.mypage()).message);
  } catch (error) {
    if (isAuthFailure(error)) sessionEnded();
    else setText('greeting', t.error ?? '');
  }
}

async function listSessions(): Promise<void> {
  const tbody = byId('sessions-list');
  if (!tbody) return;
  const sessions = await client.sessions.list();
  tbody.replaceChildren();
  if (sessions.length === 0)
    tbody.append(Object.assign(document.createElement('tr'), { textContent: t.noSessions ?? '' }));
  for (const s of sessions) {
    const row = document.createElement('tr');
    const device = cell(s.user_agent ?? '');
    if (s.current)
      device.append(' ', Object.assign(document.createElement('strong'), { textContent: `(${t.thisDevice})` }));
    const end = document.createElement('td');
    end.append(
      button(
        t.endSession ?? 'End',
        async () => {
          await client.sessions.end(s.id);
          if (s.current) sessionEnded();
          else await listSessions();
        },
        (error) => showError('sessions', error),
      ),
    );
    row.append(device, cell(s.ip ?? ''), cell(date(s.created)), cell(date(s.last_used)), end);
    tbody.append(row);
  }
}

const accountPages: Record<string, () => void> = {
  join() {
    onSubmit(
      'join',
      async (data) => {
        await client.join(data as never);
        go(`${account}/mypage/`);
      },
      ['first_name', 'last_name', 'gender', 'date_of_birth'],
    );
  },
  login() {
    onSubmit('login', async (data) => {
      await client.login(data.email ?? '', data.password ?? '');
      go(nextPath() ?? `${account}/mypage/`);
    });
  },
  mypage() {
    void greet();
    onClick('check-again', greet, () => undefined);
    onClick(
      'logout',
      async () => {
        await client.logout();
        go(`${account}/login/`);
      },
      () => sessionEnded(),
    );
  },
  logout() {
    onClick(
      'logout',
      async () => {
        await client.logout();
        setText('logout-notice', t.loggedOut ?? '');
      },
      () => setText('logout-notice', t.loggedOut ?? ''),
    );
  },
  'password-change'() {
    onSubmit('password-change', async (data, form) => {
      await client.changePassword(data as never);
      form.reset();
      setText('password-change-notice', t.passwordChanged ?? '');
    });
  },
  'password-reset'() {
    onSubmit('password-reset', async (data, form) => {
      await client.requestPasswordReset(data.email ?? '');
      form.reset();
      setText('password-reset-notice', t.resetSent ?? '');
    });
  },
  'password-reset-confirm'() {
    // ?uid=…&token=…, or …/confirm/{uid}/{token}/ in the path.
    const query = new URLSearchParams(window.location.search);
    const inPath = /\/confirm\/([^/]+)\/([^/]+)\/?$/.exec(window.location.pathname);
    const uid = query.get('uid') ?? (inPath ? decodeURIComponent(inPath[1]!) : null);
    const token = query.get('token') ?? (inPath ? decodeURIComponent(inPath[2]!) : null);
    if (!uid || !token) setText('password-reset-confirm-form-error', t.resetLinkMissing ?? '');
    onSubmit('password-reset-confirm', async (data, form) => {
      try {
        await client.confirmPasswordReset({
          uid: uid ?? '',
          token: token ?? '',
          new_password1: data.new_password1 ?? '',
          new_password2: data.new_password2 ?? '',
        });
      } catch (error) {
        // A used, expired or altered link is dj-rest-auth's {"token": ["Invalid value"]} (or
        // "uid"): no field of this form, so it is said in the page's words, not the API's.
        if (!(error instanceof DoormanError) || !('token' in error.fieldErrors || 'uid' in error.fieldErrors))
          throw error;
        showError('password-reset-confirm', error);
        setText('password-reset-confirm-form-error', t.resetLinkMissing ?? '');
        return;
      }
      form.reset();
      setText('password-reset-confirm-notice', t.resetDone ?? '');
    });
  },
  sessions() {
    void listSessions().catch((error) => showError('sessions', error));
    onClick(
      'logout-all',
      async () => {
        await client.logoutAll();
        sessionEnded();
      },
      (error) => showError('sessions', error),
    );
  },
};

// ---- admin pages ----

interface AdminUser {
  pk: number;
  email: string;
  is_active: boolean;
  is_staff: boolean;
  is_superuser: boolean;
}
/** DRF's paginated list. */
interface Paged<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}
interface Group {
  id: number;
  name: string;
  permissions: string[];
}
interface UserPermissions {
  groups: Array<{ id: number; name: string }>;
  user_permissions: string[];
}

const adminError = (error: unknown) => showError('admin', error);
const yesNo = (value: boolean) => (value ? t.yes : t.no) ?? '';
/** The numeric id at the end of this page's path (/admin/users/7/ → 7). */
const pathId = () => Number(/\/(\d+)\/?$/.exec(window.location.pathname)?.[1] ?? NaN);

function tag(list: HTMLElement, text: string, action: string, onPress: () => Promise<void>): void {
  const li = document.createElement('li');
  li.append(text, button(action, onPress, adminError));
  list.append(li);
}

interface AuditEvent {
  id: number;
  time: string;
  kind: string;
  user: number | null;
  email: string | null;
  ip: string | null;
  user_agent: string | null;
  detail: string | null;
}
const AUDIT_PAGE_SIZE = 50;

/**
 * An admin list page: rows from the API's page `n` (DRF pagination) in #{name}-list, the pager
 * buttons #{name}-previous/-next, and a filter form whose non-empty values go in the query.
 */
function pagedList<T>(list: {
  name: string;
  filterForm: string;
  empty: string;
  path: (page: number, filter: Record<string, string>) => string;
  row: (item: T) => HTMLTableRowElement;
}): void {
  let pageNumber = 1;
  let filter: Record<string, string> = {};
  const previous = byId<HTMLButtonElement>(`${list.name}-previous`);
  const next = byId<HTMLButtonElement>(`${list.name}-next`);
  async function load(): Promise<void> {
    const answer = await client.request<Paged<T>>('GET', list.path(pageNumber, filter));
    const tbody = byId(`${list.name}-list`)!;
    tbody.replaceChildren();
    if (answer.results.length === 0)
      tbody.append(Object.assign(document.createElement('tr'), { textContent: list.empty }));
    for (const item of answer.results) tbody.append(list.row(item));
    setText(`${list.name}-page`, `${t.page} ${pageNumber}`);
    if (previous) previous.disabled = answer.previous === null;
    if (next) next.disabled = answer.next === null;
  }
  /** Both pager buttons off while a page loads; load() turns on the ones that lead somewhere. */
  const turn = (delta: number) => {
    if (previous) previous.disabled = true;
    if (next) next.disabled = true;
    pageNumber = Math.max(1, pageNumber + delta);
    void load().catch(adminError);
  };
  void load().catch(adminError);
  onSubmit(list.filterForm, async (data) => {
    filter = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== ''));
    pageNumber = 1;
    await load();
  });
  previous?.addEventListener('click', () => turn(-1));
  next?.addEventListener('click', () => turn(1));
}

const adminPages: Record<string, () => void> = {
  'admin-audit'() {
    pagedList<AuditEvent>({
      name: 'audit',
      filterForm: 'audit-filter',
      empty: t.noEvents ?? '',
      path: (page, filter) =>
        `${admin}/audit/?${new URLSearchParams({ ...filter, limit: String(AUDIT_PAGE_SIZE), offset: String((page - 1) * AUDIT_PAGE_SIZE) })}`,
      row(e) {
        const row = document.createElement('tr');
        const where = cell(e.ip ?? '');
        // The user agent, when there is one, on hover: it is long and rarely needed.
        if (e.user_agent) where.title = e.user_agent;
        const who = e.email ?? (e.user === null ? '' : String(e.user));
        row.append(cell(date(e.time)), cell(e.kind), cell(who), where, cell(e.detail ?? ''));
        return row;
      },
    });
  },
  'admin-users'() {
    pagedList<AdminUser>({
      name: 'users',
      filterForm: 'user-search',
      empty: t.noUsers ?? '',
      path: (page, filter) => `${admin}/users/?${new URLSearchParams({ page: String(page), ...filter })}`,
      row(u) {
        const row = document.createElement('tr');
        const link = Object.assign(document.createElement('a'), {
          href: `${admin}/users/${u.pk}/`,
          textContent: u.email,
        });
        const first = document.createElement('td');
        first.append(link);
        row.append(first, cell(yesNo(u.is_active)), cell(yesNo(u.is_staff)), cell(yesNo(u.is_superuser)));
        return row;
      },
    });
  },
  'admin-user-new'() {
    onSubmit('user-create', async (data) => {
      const created = await client.request<AdminUser>('POST', `${admin}/users/`, { body: data });
      go(`${admin}/users/${created.pk}/`);
    });
  },
  'admin-user'() {
    const id = pathId();
    let user: AdminUser | null = null;
    async function load(): Promise<void> {
      const [u, perms, groups, sessions] = await Promise.all([
        client.request<AdminUser>('GET', `${admin}/users/${id}/`),
        client.request<UserPermissions>('GET', `${admin}/users/${id}/permissions/`),
        client.request<Group[]>('GET', `${admin}/groups/`),
        client.request<Array<{ id: string; created: string; user_agent: string | null; ip: string | null }>>(
          'GET',
          `${admin}/users/${id}/sessions/`,
        ),
      ]);
      const sessionRows = byId('user-sessions')!;
      sessionRows.replaceChildren();
      for (const s of sessions) {
        const row = document.createElement('tr');
        const end = document.createElement('td');
        end.append(
          button(
            t.endSession ?? 'End',
            async () => {
              await client.request('DELETE', `${admin}/users/${id}/sessions/${encodeURIComponent(s.id)}/`);
              await load();
            },
            adminError,
          ),
        );
        row.append(cell(s.user_agent ?? ''), cell(s.ip ?? ''), cell(date(s.created)), end);
        sessionRows.append(row);
      }
      user = u;
      setText('user-email', u.email);
      setText('user-active', yesNo(u.is_active));
      setText('user-staff', yesNo(u.is_staff));
      setText('user-superuser', yesNo(u.is_superuser));
      setText('user-toggle-active', (u.is_active ? t.deactivate : t.activate) ?? '');
      // Says what a press does: grant or take away.
      setText('user-toggle-staff', `${u.is_staff ? t.revoke : t.grant}: ${t.staff}`);
      setText('user-toggle-superuser', `${u.is_superuser ? t.revoke : t.grant}: ${t.superuser}`);
      const groupList = byId('user-groups')!;
      groupList.replaceChildren();
      for (const g of perms.groups)
        tag(groupList, g.name, t.removeFromGroup ?? '-', async () => {
          await client.request('DELETE', `${admin}/groups/${g.id}/members/${id}/`);
          await load();
        });
      const select = byId<HTMLSelectElement>('user-group-group')!;
      select.replaceChildren(
        ...groups.map((g) =>
          Object.assign(document.createElement('option'), { value: String(g.id), textContent: g.name }),
        ),
      );
      const permList = byId('user-permissions')!;
      permList.replaceChildren();
      for (const p of perms.user_permissions)
        tag(permList, p, t.revoke ?? '-', async () => {
          await client.request('DELETE', `${admin}/users/${id}/permissions/${encodeURIComponent(p)}/`);
          await load();
        });
    }
    const change = async (patch: Partial<AdminUser>) => {
      await client.request('PATCH', `${admin}/users/${id}/`, { body: patch });
      setText('admin-notice', t.saved ?? '');
      await load();
    };
    void load().catch(adminError);
    onClick('user-toggle-active', () => change({ is_active: !user?.is_active }), adminError);
    onClick('user-toggle-staff', () => change({ is_staff: !user?.is_staff }), adminError);
    onClick('user-toggle-superuser', () => change({ is_superuser: !user?.is_superuser }), adminError);
    onClick(
      'user-delete',
      async () => {
        if (!window.confirm(t.confirmDelete)) return;
        await client.request('DELETE', `${admin}/users/${id}/`);
        go(`${admin}/`);
      },
      adminError,
    );
    onSubmit('user-group', async (data) => {
      await client.request('POST', `${admin}/groups/${data.group}/members/`, { body: { user: id } });
      await load();
    });
    onSubmit('user-permission', async (data, form) => {
      await client.request('POST', `${admin}/users/${id}/permissions/`, { body: data });
      form.reset();
      await load();
    });
  },
  'admin-groups'() {
    async function load(): Promise<void> {
      const groups = await client.request<Group[]>('GET', `${admin}/groups/`);
      const list = byId('groups-list')!;
      list.replaceChildren();
      for (const g of groups) {
        const li = document.createElement('li');
        li.append(
          Object.assign(document.createElement('a'), { href: `${admin}/groups/${g.id}/`, textContent: g.name }),
          ` (${g.permissions.length})`,
        );
        list.append(li);
      }
    }
    void load().catch(adminError);
    onSubmit('group-create', async (data, form) => {
      await client.request('POST', `${admin}/groups/`, { body: data });
      form.reset();
      await load();
    });
  },
  'admin-group'() {
    const id = pathId();
    async function load(): Promise<void> {
      const group = await client.request<Group>('GET', `${admin}/groups/${id}/`);
      setText('group-name', group.name);
      const list = byId('group-permissions')!;
      list.replaceChildren();
      for (const p of group.permissions)
        tag(list, p, t.revoke ?? '-', async () => {
          await client.request('DELETE', `${admin}/groups/${id}/permissions/${encodeURIComponent(p)}/`);
          await load();
        });
    }
    void load().catch(adminError);
    onSubmit('group-permission', async (data, form) => {
      await client.request('POST', `${admin}/groups/${id}/permissions/`, { body: data });
      form.reset();
      await load();
    });
    onClick(
      'group-delete',
      async () => {
        if (!window.confirm(t.confirmDelete)) return;
        await client.request('DELETE', `${admin}/groups/${id}/`);
        go(`${admin}/groups/`);
      },
      adminError,
    );
  },
};

(accountPages[page] ?? adminPages[page])?.();
