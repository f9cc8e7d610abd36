import { formatRate, type Rate } from '../throttle/rate.js';
import { envName, SETTINGS } from './schema.js';

function show(value: unknown): string {
  if (value === null) return '(none)';
  if (Array.isArray(value)) return value.join(', ') || '(empty)';
  if (typeof value === 'object' && 'points' in value) return formatRate(value as Rate);
  return String(value);
}

/** docs/settings.md, from the one settings table (a test keeps the file equal to this). */
export function settingsMarkdown(): string {
  const rows = Object.entries(SETTINGS).map(([key, spec]) => {
    const simple = 'simplejwt' in spec && spec.simplejwt ? `\`${spec.simplejwt}\`` : '';
    return `| \`${key}\` | \`${envName(key)}\` | ${simple} | \`${'shown' in spec && spec.shown ? spec.shown : show(spec.default)}\` | ${spec.doc} |`;
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
