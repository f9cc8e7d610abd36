/**
 * Whether a request's Accept header prefers HTML to JSON, as DRF's browsable API decides: a
 * browser navigating (text/html listed first, any-type at a lower q) gets a page; any-type,
 * `application/json` or no Accept gets the API's JSON as before. HTML must be named
 * explicitly; on equal q the one listed first wins.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept || !accept.includes('html')) return false;
  let html: { q: number; index: number } | null = null;
  let json: { q: number; index: number } | null = null;
  accept.split(',').forEach((entry, index) => {
    const [type = '', ...params] = entry.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) return;
    const media = type.trim();
    if ((media === 'text/html' || media === 'application/xhtml+xml') && (!html || q > html.q)) html = { q, index };
    if (media === 'application/json' && (!json || q > json.q)) json = { q, index };
  });
  const h = html as { q: number; index: number } | null;
  const j = json as { q: number; index: number } | null;
  if (!h || h.q <= 0) return false;
  if (!j) return true;
  return h.q > j.q || (h.q === j.q && h.index < j.index);
}
