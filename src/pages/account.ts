import { html, type SafeHtml } from './escape.js';
import { form } from './forms.js';
import type { PageContext } from './layout.js';

/** An account page: its name (data-page, for the script), title and body. */
export interface Page {
  page: string;
  title: string;
  body: SafeHtml;
}

export function joinPage({ t, account }: PageContext): Page {
  return {
    page: 'join',
    title: t.join,
    body: form(
      'join',
      [
        { name: 'email', label: t.email, type: 'email', autocomplete: 'email', required: true },
        { name: 'password1', label: t.password1, type: 'password', autocomplete: 'new-password', required: true },
        { name: 'password2', label: t.password2, type: 'password', autocomplete: 'new-password', required: true },
        { name: 'first_name', label: t.firstName, autocomplete: 'given-name' },
        { name: 'last_name', label: t.lastName, autocomplete: 'family-name' },
        {
          name: 'gender',
          label: t.gender,
          options: [
            ['', t.genderNone],
            ['female', t.female],
            ['male', t.male],
          ],
        },
        { name: 'date_of_birth', label: t.dateOfBirth, type: 'date', autocomplete: 'bday' },
      ],
      t.submitJoin,
      html`<p class="aside">${t.haveAccount} <a href="${account}/login/">${t.login}</a></p>`,
    ),
  };
}

export function loginPage({ t, account }: PageContext): Page {
  return {
    page: 'login',
    title: t.login,
    body: form(
      'login',
      [
        { name: 'email', label: t.email, type: 'email', autocomplete: 'username', required: true },
        { name: 'password', label: t.password, type: 'password', autocomplete: 'current-password', required: true },
      ],
      t.submitLogin,
      html`<p class="aside">${t.noAccount} <a href="${account}/join/">${t.join}</a> · <a href="${account}/password/reset/">${t.forgotPassword}</a></p>`,
    ),
  };
}

/** The session-ended message the script shows when a request is refused, with the way back in. */
export function sessionEnded({ t, account, path }: PageContext): SafeHtml {
  // ?next= brings the person back here after logging in (the login page accepts only a path of this site).
  return html`<div class="card ended" id="session-ended" role="alert" hidden><p>${t.sessionEnded}</p><p><a class="button" href="${account}/login/?next=${encodeURIComponent(path)}">${t.loginAgain}</a></p></div>`;
}

export function mypagePage(ctx: PageContext): Page {
  const { t, account } = ctx;
  return {
    page: 'mypage',
    title: t.mypage,
    body: html`<div class="card" id="signed-in">
<p class="greeting" id="greeting" aria-live="polite">${t.loading}</p>
<div class="actions">
<button type="button" id="check-again">${t.checkAgain}</button>
<button type="button" id="logout" class="secondary">${t.submitLogout}</button>
</div>
<ul class="links"><li><a href="${account}/password/change/">${t.passwordChange}</a></li><li><a href="${account}/sessions/">${t.sessions}</a></li>${ctx.admin !== null ? html`<li><a href="${ctx.admin}/">${t.admin}</a></li>` : ''}</ul>
</div>
${sessionEnded(ctx)}`,
  };
}

export function logoutPage(ctx: PageContext): Page {
  const { t } = ctx;
  return {
    page: 'logout',
    title: t.logout,
    body: html`<div class="card" id="signed-in"><p>${t.logoutQuestion}</p><p class="notice" id="logout-notice" role="status"></p><button type="button" id="logout">${t.submitLogout}</button></div>`,
  };
}

export function passwordChangePage(ctx: PageContext): Page {
  const { t } = ctx;
  return {
    page: 'password-change',
    title: t.passwordChange,
    body: html`${form(
      'password-change',
      [
        {
          name: 'old_password',
          label: t.oldPassword,
          type: 'password',
          autocomplete: 'current-password',
          required: true,
        },
        {
          name: 'new_password1',
          label: t.newPassword1,
          type: 'password',
          autocomplete: 'new-password',
          required: true,
        },
        {
          name: 'new_password2',
          label: t.newPassword2,
          type: 'password',
          autocomplete: 'new-password',
          required: true,
        },
      ],
      t.submitChange,
    )}${sessionEnded(ctx)}`,
  };
}

export function passwordResetPage({ t }: PageContext): Page {
  return {
    page: 'password-reset',
    title: t.passwordReset,
    body: form(
      'password-reset',
      [{ name: 'email', label: t.email, type: 'email', autocomplete: 'email', required: true }],
      t.submitReset,
    ),
  };
}

/** The page the e-mailed link opens: …/confirm/?uid=…&token=… or …/confirm/{uid}/{token}/ (read by the script, sent in the body). */
export function passwordResetConfirmPage({ t, account }: PageContext): Page {
  return {
    page: 'password-reset-confirm',
    title: t.passwordResetConfirm,
    body: form(
      'password-reset-confirm',
      [
        {
          name: 'new_password1',
          label: t.newPassword1,
          type: 'password',
          autocomplete: 'new-password',
          required: true,
        },
        {
          name: 'new_password2',
          label: t.newPassword2,
          type: 'password',
          autocomplete: 'new-password',
          required: true,
        },
      ],
      t.submitConfirm,
      html`<p class="aside"><a href="${account}/login/">${t.login}</a></p>`,
    ),
  };
}

export function sessionsPage(ctx: PageContext): Page {
  const { t } = ctx;
  return {
    page: 'sessions',
    title: t.sessions,
    body: html`<div class="card" id="signed-in">
<p class="error form-error" id="sessions-form-error" role="alert"></p>
<table class="list"><thead><tr><th scope="col">${t.sessionDevice}</th><th scope="col">${t.sessionAddress}</th><th scope="col">${t.sessionCreated}</th><th scope="col">${t.sessionLastUsed}</th><th scope="col"><span class="visually-hidden">${t.endSession}</span></th></tr></thead>
<tbody id="sessions-list"><tr><td colspan="5">${t.loading}</td></tr></tbody></table>
<button type="button" id="logout-all" class="secondary">${t.endAll}</button>
</div>
${sessionEnded(ctx)}`,
  };
}

/** The account pages by their path under the account prefix. */
export const ACCOUNT_PAGES: Record<string, (ctx: PageContext) => Page> = {
  '/join/': joinPage,
  '/login/': loginPage,
  '/mypage/': mypagePage,
  '/logout/': logoutPage,
  '/password/change/': passwordChangePage,
  '/password/reset/': passwordResetPage,
  '/password/reset/confirm/': passwordResetConfirmPage,
  // The reset mail's link may carry them in the path too (DOORMAN_PASSWORD_RESET_URL=…/confirm/{uid}/{token}/).
  '/password/reset/confirm/:uid/:token/': passwordResetConfirmPage,
  '/sessions/': sessionsPage,
};
