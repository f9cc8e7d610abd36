import { ERROR_CODES } from '../errors/codes.js';
import { envName, SETTINGS } from './schema.js';

function show(value: unknown): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.join(', ') || '(empty)';
  return String(value);
}

/** docs/settings.md, from the one settings table (a test keeps the file equal to this). */
export function settingsMarkdown(): string {
  const rows = Object.entries(SETTINGS).map(([key, spec]) => {
    const simple = 'simplejwt' in spec && spec.simplejwt ? `\`${spec.simplejwt}\`` : '';
    return `| \`${key}\` | \`${envName(key)}\` | ${simple} | \`${show(spec.default)}\` | ${spec.doc} |`;
  });
  return [
    '# Settings',
    '',
    'Generated from `src/config/schema.ts` by `npm run docs`; a test fails when this file and the schema differ.',
    '',
    'Set them as environment variables, in a JSON file named by `DOORMAN_CONFIG` (keys as in the first column,',
    'simplejwt names inside a `"SIMPLE_JWT"` object), or programmatically (`loadConfig({ overrides })`).',
    'Unknown keys are refused by name at start-up. Durations take seconds or a unit: `90s`, `5m`, `12h`, `7d`.',
    '`DATABASE_URL` and `NODE_ENV` are read when their `DOORMAN_` forms are unset.',
    '',
    '| key | environment | simplejwt / dj-rest-auth | default | meaning |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** docs/errors.md, from the closed error-code table. */
export function errorsMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, { status, message }]) => `| \`${code}\` | ${status} | ${message} |`);
  return [
    '# Errors',
    '',
    'Generated from `src/errors/codes.ts` by `npm run docs`; a test fails when this file and the table differ.',
    '',
    'Every error body is DRF-shaped: field errors as `{"<field>": ["message"]}` (400, `non_field_errors` for',
    'errors of the whole body), everything else as `{"detail": "...", "code": "<code>"}`. Clients switch on',
    '`code`, never on `detail`. Token failures on protected routes also carry simplejwt\'s `messages` list.',
    'Every 401 carries `WWW-Authenticate: Bearer realm="api"`.',
    '',
    '| code | status | default detail |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
