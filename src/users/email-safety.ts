import { domainToASCII, domainToUnicode } from 'node:url';

/**
 * Control, format (zero-width, bidi) and other invisible characters: never part of an
 * address anyone typed, and the classic way to make two accounts look the same.
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800\u034F\u17B4\u17B5\u180B-\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

/** Scripts that share letters with Latin (UTS #39 §5.1 "confusable" scripts; Chromium's IDN policy). */
const LOOKALIKE_SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

/**
 * Non-ASCII letters that look like ASCII Latin ones: a label of them alone (a whole-script
 * look-alike, "сосо" in Cyrillic) or among Latin letters ("gmaıl" with a dotless ı) reads as
 * an ASCII name. A short list from Unicode's confusables.txt, the letters seen in phishing.
 */
const LATIN_LOOKALIKES = new Set([
  ...'аеорсуххіјѕԁһӏԛԝьвкмнтгпЅІЈАВЕКМНОРСТХУ', // Cyrillic
  ...'οαρνικτυχβεμΑΒΕΖΗΙΚΜΝΟΡΤΥΧ', // Greek
  ...'ıȷſɡɩɪʟℓǀꞁ', // Latin letters that are not ASCII but read as ASCII ones
]);

function scriptsOf(label: string): number {
  return LOOKALIKE_SCRIPTS.filter((script) => script.test(label)).length;
}

/** UTS #39-style checks of one domain label (in Unicode form). */
function labelIsDeceptive(label: string): boolean {
  if (scriptsOf(label) > 1) return true; // Latin mixed with Cyrillic or Greek
  const letters = [...label].filter((ch) => /\p{L}/u.test(ch));
  const nonAscii = letters.filter((ch) => ch.charCodeAt(0) > 0x7f);
  if (nonAscii.length === 0) return false;
  // Every non-ASCII letter looks like an ASCII one: the label reads as a plain ASCII name.
  if (nonAscii.every((ch) => LATIN_LOOKALIKES.has(ch))) return true;
  // A Latin look-alike among ASCII letters (gmaıl, paypaſ).
  return (
    nonAscii.some((ch) => LATIN_LOOKALIKES.has(ch) && /\p{Script=Latin}/u.test(ch)) &&
    letters.some((ch) => ch.charCodeAt(0) <= 0x7f)
  );
}

export interface CanonicalEmail {
  /** The address as stored and looked up: NFKC, domain in ASCII (punycode) lower case. */
  email: string;
  /** Why it cannot be registered (a Django-style message), or null. */
  problem: string | null;
}

const INVALID = 'Enter a valid email address.';

/**
 * One spelling per mailbox, so look-alikes cannot become a second account:
 * 1. invisible and control characters are refused (before anything could drop them);
 * 2. NFKC (fullwidth "ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ" is "kim@example.com");
 * 3. the domain through UTS #46 (node:url domainToASCII): Unicode and punycode spellings,
 *    upper case and ideographic full stops are one ASCII domain, which is what is stored;
 * 4. domain labels mixing Latin with Cyrillic or Greek, or made of Latin look-alikes only,
 *    are refused (UTS #39 mixed-script and whole-script confusable detection, in short).
 * The local part keeps its case (Django's normalize_email); the validator then allows ASCII only.
 */
export function canonicalEmail(raw: string): CanonicalEmail {
  const trimmed = raw.trim();
  if (INVISIBLE.test(trimmed)) return { email: trimmed, problem: INVALID };
  const nfkc = trimmed.normalize('NFKC');
  const at = nfkc.lastIndexOf('@');
  if (at < 0) return { email: nfkc, problem: INVALID };
  const local = nfkc.slice(0, at);
  const domain = nfkc.slice(at + 1);
  const ascii = domainToASCII(domain);
  if (!ascii) return { email: `${local}@${domain.toLowerCase()}`, problem: INVALID };
  const email = `${local}@${ascii}`;
  const unicode = domainToUnicode(ascii);
  if (unicode.split('.').some(labelIsDeceptive)) return { email, problem: INVALID };
  return { email, problem: null };
}
