import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every module `doorman/verify` loads, following relative imports from its entry. */
function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    // Value imports only: `import type` is erased at compile time.
    for (const m of source.matchAll(/^(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
      else packages.add(spec);
    }
  };
  visit(entry);
  return { files: [...files], packages: [...packages].sort() };
}

describe('doorman/verify', () => {
  it('loads no database, Fastify or Kysely module, and nothing outside src/verify', () => {
    const root = resolve(import.meta.dirname, '../../src/verify');
    const { files, packages } = importGraph(join(root, 'index.ts'));
    expect(packages).toEqual(['fast-jwt', 'jose']);
    for (const file of files) expect(file.startsWith(root)).toBe(true);
  });

  it('is exported as its own package entry', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(pkg.exports['./verify']).toEqual({ types: './dist/verify/index.d.ts', default: './dist/verify/index.js' });
  });
});
