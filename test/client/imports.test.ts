import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const clientDir = join(root, 'src/client');

describe('@doorman-auth/server/client', () => {
  it('imports nothing: no package, no Node built-in, no server module (type imports included)', () => {
    for (const file of readdirSync(clientDir)) {
      const source = readFileSync(join(clientDir, file), 'utf8');
      for (const m of source.matchAll(/^(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)) {
        expect(m[1], `${file} imports ${m[1]}`).toMatch(/^\.\/[a-z-]+\.js$/);
      }
      expect(source, file).not.toMatch(/\bimport\(|\brequire\(|\bprocess\.|\bBuffer\b/);
    }
  });

  it("compiles for a browser (the DOM's types, none of Node's)", () => {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.client.json')],
      { stdio: 'pipe' },
    );
  }, 60_000);

  it('is exported as its own package entry', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.exports['./client']).toEqual({ types: './dist/client/index.d.ts', default: './dist/client/index.js' });
  });
});
