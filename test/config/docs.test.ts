import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { settingsMarkdown } from '../../src/config/docs.js';
import { errorsMarkdown } from '../../src/errors/docs.js';

describe('reference docs match the code (run `npm run docs` to regenerate)', () => {
  it('docs/settings.md lists every setting with its default', () => {
    expect(readFileSync('docs/settings.md', 'utf8')).toBe(settingsMarkdown());
  });

  it('docs/errors.md lists every error code with its status', () => {
    expect(readFileSync('docs/errors.md', 'utf8')).toBe(errorsMarkdown());
  });
});
