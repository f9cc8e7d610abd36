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
  it('loads no package but fast-jwt and jose (no database, Fastify or Kysely), and only dependency-free shared rules', () => {
    const src = resolve(import.meta.dirname, '../../src');
    const { files, packages } = importGraph(join(src, 'verify/index.ts'));
    expect(packages).toEqual(['fast-jwt', 'jose']);
    // The token rules it shares with the server (tokens/rules.ts, keys/algorithms.ts) import nothing themselves.
    const outside = files
      .filter((file) => !file.startsWith(join(src, 'verify')))
      .map((file) => file.slice(src.length + 1))
      .sort();
    expect(outside).toEqual(['keys/algorithms.ts', 'tokens/rules.ts']);
  });

  it('is exported as its own package entry', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8'));
    expect(pkg.exports['./verify']).toEqual({ types: './dist/verify/index.d.ts', default: './dist/verify/index.js' });
  });
});
