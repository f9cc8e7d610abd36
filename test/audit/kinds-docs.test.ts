import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AUDIT_KINDS } from '../../src/audit/kinds.js';

/** The kinds the README and docs/http-api.md list are the kinds doorman records. */
function section(file: string, heading: string): string {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `${file} has "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + heading.length + 2);
  return text.slice(start, end === -1 ? undefined : end);
}

function listedKinds(text: string): string[] {
  const list = /kinds:\s*([\s\S]*?)\./i.exec(text)?.[1] ?? '';
  return [...list.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]!);
}

describe('audit kinds in the docs', () => {
  it.each([
    ['README.md', '## Audit log'],
    ['docs/http-api.md', '## Audit log (staff)'],
  ])('%s lists every kind, and only those', (file, heading) => {
    expect(listedKinds(section(file, heading))).toEqual([...AUDIT_KINDS]);
  });
});
