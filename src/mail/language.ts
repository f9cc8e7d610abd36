import type { Language } from './types.js';

/**
 * Korean or English from an Accept-Language header (RFC 9110 §12.5.4): the supported language
 * with the highest q wins, ties by order; English when neither is asked for.
 */
export function pickLanguage(header: string | undefined): Language {
  if (!header) return 'en';
  let best: { language: Language; q: number } | null = null;
  for (const part of header.slice(0, 512).split(',')) {
    const [range = '', ...params] = part.trim().split(';');
    const primary = range.trim().toLowerCase().split('-')[0];
    if (primary !== 'ko' && primary !== 'en') continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    if (!best || q > best.q) best = { language: primary, q };
  }
  return best?.language ?? 'en';
}
