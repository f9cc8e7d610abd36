import { html, SafeHtml } from './escape.js';
import { LANGUAGES, MESSAGES, type Lang, type Messages } from './i18n.js';

/** Where the pages live and what the page script needs to reach the API (data- attributes on <body>). */
export interface PageContext {
  lang: Lang;
  t: Messages;
  /** The plugin's prefix ("" or e.g. "/auth"). */
  base: string;
  /** Full path of the account routes, e.g. "/account". */
  account: string;
  /** Full path of the admin routes, e.g. "/admin"; null when the admin API is off. */
  admin: string | null;
  /** The static files, e.g. "/_doorman". */
  assets: string;
  csrfHeader: string;
  /** The current path, for the language switch links. */
  path: string;
  /** The audit log's event kinds, for the audit page's filter (given by the server: pages/ imports no domain folder). */
  auditKinds: readonly string[];
}

export function pageContext(lang: Lang, rest: Omit<PageContext, 'lang' | 't'>): PageContext {
  return { lang, t: MESSAGES[lang], ...rest };
}

/**
 * The Content-Security-Policy of every page: only this origin's script and stylesheet (no
 * inline script or style at all), fetch only to this origin, no framing (clickjacking), no
 * <base> rewriting, forms only to this origin.
 */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The page's strings the script shows (session ended, errors), as a JSON data block (never executed). */
function messagesBlock(t: Messages): SafeHtml {
  // "<" escaped so no value can close the element.
  const json = JSON.stringify(t).replace(/</g, '\\u003c');
  return html`<script type="application/json" id="doorman-messages">${new SafeHtml(json)}</script>`;
}

export function layout(ctx: PageContext, page: string, title: string, body: SafeHtml): SafeHtml {
  const { t } = ctx;
  const other = LANGUAGES.filter((l) => l !== ctx.lang);
  const nav =
    ctx.admin !== null && page.startsWith('admin')
      ? html`<a href="${ctx.admin}/">${t.users}</a><a href="${ctx.admin}/groups/">${t.groups}</a><a href="${ctx.admin}/audit/">${t.audit}</a><a href="${ctx.account}/mypage/">${t.mypage}</a>`
      : html`<a href="${ctx.account}/mypage/">${t.mypage}</a><a href="${ctx.account}/login/">${t.login}</a><a href="${ctx.account}/join/">${t.join}</a>`;
  return html`<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t.siteName}</title>
<link rel="stylesheet" href="${ctx.assets}/pages.css">
<script type="module" src="${ctx.assets}/pages/browser/main.js"></script>
</head>
<body data-page="${page}" data-base="${ctx.base}" data-account="${ctx.account}" data-admin="${ctx.admin ?? ''}" data-csrf-header="${ctx.csrfHeader}" data-lang="${ctx.lang}">
<header class="top">
<a class="brand" href="${ctx.account}/mypage/">${t.siteName}</a>
<nav aria-label="${t.siteName}">${nav}</nav>
<nav class="lang" aria-label="${t.language}">${other.map((l) => html`<a href="${ctx.path}?lang=${l}" hreflang="${l}" lang="${l}">${l === 'ko' ? '한국어' : 'English'}</a>`)}</nav>
</header>
<main id="main">
<h1>${title}</h1>
<noscript><p class="error">${t.needsScript}</p></noscript>
${body}
</main>
${messagesBlock(t)}
</body>
</html>
`;
}
