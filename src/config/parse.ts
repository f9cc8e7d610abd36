/** Parsers for configuration values. Each throws a plain message; load.ts adds the key's name. */
import { isIP } from 'node:net';

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/i;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** A duration in whole seconds: a number of seconds, or "90s", "5m", "12h", "7d", "2w". */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) return Math.floor(Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's').toLowerCase()]!);
  }
  throw new Error('expected a duration: seconds, or a number with a unit like "5m", "1d"');
}

/** A duration of at least one second: a token lifetime of 0 would make every token born expired. */
export function parsePositiveDuration(value: unknown): number {
  const seconds = parseDuration(value);
  if (seconds < 1) throw new Error('must be at least 1 second (0 would make every token born expired)');
  return seconds;
}

const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** An address to listen on: an IPv4 or IPv6 address, or a hostname (RFC 1123). 256.1.1.1 is neither. */
export function parseHost(value: unknown): string {
  const host = parseString(value).trim();
  if (isIP(host)) return host;
  const labels = host.replace(/\.$/, '').split('.');
  const numeric = labels.every((label) => /^\d+$/.test(label));
  if (!numeric && host.length <= 253 && labels.every((label) => HOST_LABEL.test(label))) return host;
  throw new Error(`"${host}" is not an IP address or a hostname`);
}

export function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
  }
  throw new Error('expected true or false');
}

export function parseInteger(min: number, max: number) {
  return (value: unknown): number => {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
    throw new Error(`expected a whole number from ${min} to ${max}`);
  };
}

export function parseString(value: unknown): string {
  if (typeof value === 'string') return value;
  throw new Error('expected a string');
}

export function parseOptionalString(value: unknown): string | null {
  if (value === null || value === '') return null;
  return parseString(value);
}

/** A list: a JSON array, or a comma-separated string ("Bearer,JWT"). */
export function parseList(value: unknown): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
    return value.map((v) => v.trim()).filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  throw new Error('expected a list of strings (JSON array or comma-separated)');
}

export function parseOneOf<T extends string>(choices: readonly T[]) {
  return (value: unknown): T => {
    if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
    throw new Error(`expected one of ${choices.join(', ')}`);
  };
}
