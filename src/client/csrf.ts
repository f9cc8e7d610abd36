/**
 * A cookie of the page (document.cookie), or null outside a browser. Cookie mode copies the
 * `csrftoken` cookie into the `X-CSRFToken` header of every unsafe request (Django's
 * double-submit rule); the cookie is readable by script on purpose, the token cookies are not.
 */
export function documentCookie(name: string): string | null {
  const source = (globalThis as { document?: { cookie?: unknown } }).document?.cookie;
  if (typeof source !== 'string') return null;
  for (const pair of source.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    const value = pair.slice(at + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return null;
}

/** Methods that change nothing and so need no CSRF token (RFC 9110 §9.2.1, as Django). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
