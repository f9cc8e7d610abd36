import { ERROR_CODES } from './codes.js';

/** docs/errors.md, from the closed error-code table. */
export function errorsMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, { status, message }]) => `| \`${code}\` | ${status} | ${message} |`,
  );
  return [
    '# Errors',
    '',
    'Generated from `src/errors/codes.ts` by `npm run docs`; a test fails when this file and the table differ.',
    '',
    'Every error body is DRF-shaped: field errors as `{"<field>": ["message"]}` (400, `non_field_errors` for',
    'errors of the whole body), everything else as `{"detail": "...", "code": "<code>"}`. Clients switch on',
    "`code`, never on `detail`. Token failures on protected routes also carry simplejwt's `messages` list.",
    'Every 401 carries `WWW-Authenticate: Bearer realm="api"`.',
    '',
    '| code | status | default detail |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
