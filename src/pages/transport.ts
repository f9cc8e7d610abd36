/**
 * What the pages' script and the server agree on (no imports: the browser loads this file).
 * The script sends PAGES_HEADER with every request, and the server answers those requests in
 * the pages' own cookie mode with these cookie names (src/http/page-cookies.ts).
 */
export const PAGES_HEADER = 'x-doorman-pages';
export const PAGE_COOKIES = {
  access: 'doorman_page',
  refresh: 'doorman_page_refresh',
  csrf: 'doorman_page_csrf',
} as const;
