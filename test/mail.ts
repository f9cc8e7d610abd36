import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/** RFC 2047 encoded words (B and Q). */
function decodeWords(value: string): string {
  return value.replace(/\s*=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replaceAll('_', ' ')),
  );
}

function decodeQp(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

function header(block: string, name: string): string {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : '';
}

/** A MIME part's body, decoded from base64 or quoted-printable. */
function part(raw: string, type: string): string {
  for (const chunk of raw.split(/\r?\n--/)) {
    const split = chunk.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    const head = chunk.slice(0, split);
    if (!header(head, 'Content-Type').toLowerCase().startsWith(type)) continue;
    const body = chunk.slice(split).trim();
    const encoding = header(head, 'Content-Transfer-Encoding').toLowerCase();
    if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (encoding === 'quoted-printable') return decodeQp(body);
    return body;
  }
  return '';
}

export function parseMail(raw: string): ReadMail {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  return {
    to: header(head, 'To'),
    subject: decodeWords(header(head, 'Subject')),
    text: part(raw, 'text/plain'),
    html: part(raw, 'text/html'),
    raw,
  };
}

/** Every .eml in the directory, oldest first. */
export function readMails(dir: string): ReadMail[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.eml'))
      .sort();
  } catch {
    return [];
  }
  return names.map((n) => parseMail(readFileSync(join(dir, n), 'utf8')));
}

/** The first http(s) link of a mail's text part. */
export function linkIn(mail: ReadMail): string {
  const match = /https?:\/\/\S+/.exec(mail.text);
  if (!match) throw new Error(`no link in mail: ${mail.text}`);
  return match[0];
}
