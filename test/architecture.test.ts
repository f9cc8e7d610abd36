/**
 * The layering rules of docs/architecture.md, checked on src/'s import graph (type imports and
 * dynamic imports included) instead of kept by care. Each rule lists where a package may be
 * imported; an exception is added here, in the open, with its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** Which src/ paths may import which packages. A path ending in "/" is a folder. */
export const PACKAGE_RULES: ReadonlyArray<{ name: string; packages: RegExp; allowed: readonly string[] }> = [
  { name: 'Fastify', packages: /^(fastify|fastify-plugin|@fastify\/.*)$/, allowed: ['http/', 'app.ts'] },
  // A future Redis adapter (e.g. a throttle/ store) is listed here by name when it lands.
  { name: 'database drivers', packages: /^(kysely|better-sqlite3|pg|ioredis)(\/.*)?$/, allowed: ['storage/'] },
  // STYLE: wrap the verifier once. keys/ imports and exports JWKs, which is its job.
  { name: 'the mail library', packages: /^nodemailer(\/.*)?$/, allowed: ['mail/transport.ts'] },
  // social/id-token.ts: an id_token a client hands over (SPA flow) is checked against the
  // provider's JWKS, which openid-client does not offer as a function of its own (issue 16).
  {
    name: 'JWT libraries',
    packages: /^(fast-jwt|jose)(\/.*)?$/,
    allowed: ['tokens/codec.ts', 'tokens/remote.ts', 'verify/', 'keys/', 'social/id-token.ts'],
  },
  // The relying party (issue 16): one client per provider, wrapped in social/client.ts only.
  { name: 'OpenID Connect client', packages: /^(openid-client|oauth4webapi)(\/.*)?$/, allowed: ['social/client.ts'] },
];

/** Folders that import nothing outside themselves, not even a package or a Node built-in. */
export const SELF_CONTAINED: ReadonlyArray<{ path: string; why: string }> = [
  { path: 'client/', why: 'doorman/client runs in browsers: no server code, no Node built-in, no dependency' },
];

/** Where the wall clock may be read (`Date.now()`, `new Date()`); everything else takes the injected `now`. */
export const CLOCK_EXCEPTIONS: ReadonlyArray<{ path: string; why: string }> = [
  { path: 'cli/', why: 'a command runs once, at the time it is run' },
  { path: 'storage/', why: 'backend defaults for a caller that passes no time' },
  { path: 'tokens/codec.ts', why: 'the verified-token cache must use the clock fast-jwt checks exp against' },
  { path: 'keys/dev.ts', why: 'the development keystore, created once at start-up before any clock is injected' },
];

const SRC = resolve(import.meta.dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const under = (file: string, paths: readonly string[]) =>
  paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p));

interface Module {
  /** Relative to src/. */
  file: string;
  packages: string[];
  /** Other src/ modules, relative to src/. */
  imports: string[];
  clockReads: number[];
}

/** Every import of a file, `import type`, `export … from` and `import()` included (TypeScript's own pre-processor). */
function readModule(path: string): Module {
  const source = readFileSync(path, 'utf8');
  const file = relative(SRC, path);
  const packages: string[] = [];
  const imports: string[] = [];
  for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
    if (!fileName.startsWith('.')) packages.push(fileName);
    else imports.push(relative(SRC, resolve(dirname(path), fileName.replace(/\.js$/, '.ts'))));
  }
  return { file, packages, imports, clockReads: clockReads(source) };
}

/** Lines that read the wall clock: `Date.now()` and `new Date()` with no argument (comments do not count). */
function clockReads(source: string): number[] {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2022, true);
  const lines: number[] = [];
  const isDate = (node: ts.Node) => ts.isIdentifier(node) && node.text === 'Date';
  const visit = (node: ts.Node) => {
    const dateNow =
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      isDate(node.expression.expression) &&
      node.expression.name.text === 'now';
    const newDate = ts.isNewExpression(node) && isDate(node.expression) && (node.arguments?.length ?? 0) === 0;
    if (dateNow || newDate) lines.push(sf.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return lines;
}

/** The import cycles (strongly connected components of more than one file, or a file importing itself). */
function cycles(modules: Map<string, Module>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const state = new Map<string, { index: number; low: number; onStack: boolean }>();
  const found: string[][] = [];
  const connect = (file: string) => {
    const s = { index, low: index, onStack: true };
    index++;
    state.set(file, s);
    stack.push(file);
    for (const next of modules.get(file)?.imports ?? []) {
      if (!modules.has(next)) continue;
      const n = state.get(next);
      if (!n) {
        connect(next);
        s.low = Math.min(s.low, state.get(next)!.low);
      } else if (n.onStack) s.low = Math.min(s.low, n.index);
    }
    if (s.low !== s.index) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      state.get(member)!.onStack = false;
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || modules.get(file)!.imports.includes(file)) found.push(component.sort());
  };
  for (const file of modules.keys()) if (!state.has(file)) connect(file);
  return found;
}

/** Every broken rule, one line each (empty when the architecture holds). */
export function violations(modules: Map<string, Module>): string[] {
  const problems: string[] = [];
  for (const m of modules.values()) {
    for (const pkg of m.packages) {
      for (const rule of PACKAGE_RULES) {
        if (rule.packages.test(pkg) && !under(m.file, rule.allowed))
          problems.push(`${m.file} imports ${pkg}: ${rule.name} only in ${rule.allowed.join(', ')}`);
      }
    }
    for (const next of m.imports)
      if (!modules.has(next)) problems.push(`${m.file} imports ${next}, which does not exist`);
    for (const { path } of SELF_CONTAINED.filter((s) => m.file.startsWith(s.path))) {
      for (const name of [...m.packages, ...m.imports.filter((i) => !i.startsWith(path))])
        problems.push(`${m.file} imports ${name}: ${path} imports only itself`);
    }
    if (
      m.clockReads.length > 0 &&
      !under(
        m.file,
        CLOCK_EXCEPTIONS.map((e) => e.path),
      )
    ) {
      problems.push(`${m.file}:${m.clockReads.join(',')} reads the wall clock: take the injected now`);
    }
  }
  for (const cycle of cycles(modules)) problems.push(`import cycle among: ${cycle.join(', ')}`);
  return problems;
}

function readSrc(): Map<string, Module> {
  return new Map(sourceFiles(SRC).map((path) => [relative(SRC, path), readModule(path)]));
}

describe('architecture (docs/architecture.md)', () => {
  const modules = readSrc();

  it('reads the whole of src/', () => {
    expect(modules.size).toBeGreaterThan(80);
    expect(modules.get('core.ts')!.imports).toContain('users/accounts.ts');
  });

  it('holds: package boundaries, no import cycles (type edges too), no wall clock in the domain', () => {
    expect(violations(modules)).toEqual([]);
  });

  // pages/ is also loaded by the browser (pages/browser/ and what it imports): no package, no server folder.
  it('pages/ imports no package and nothing outside pages/ and client/', () => {
    const pages = [...modules.values()].filter((m) => m.file.startsWith('pages/'));
    expect(pages.map((m) => m.file)).toContain('pages/browser/main.ts');
    for (const m of pages) {
      expect(m.packages, m.file).toEqual([]);
      expect(
        m.imports.filter((i) => !i.startsWith('pages/') && !i.startsWith('client/')),
        m.file,
      ).toEqual([]);
    }
  });

  // The test of the test: each rule, broken on purpose in a copy of the graph, is reported.
  it('reports a broken rule of each kind', () => {
    const broken = new Map(modules);
    const add = (file: string, change: Partial<Module>) => broken.set(file, { ...broken.get(file)!, ...change });
    add('users/accounts.ts', { packages: ['kysely', 'fastify'], clockReads: [7] });
    add('tokens/issue.ts', { packages: ['jose'] });
    add('keys/algorithms.ts', { imports: ['tokens/rules.ts'] });
    add('client/transport.ts', {
      packages: ['node:crypto'],
      imports: [...broken.get('client/transport.ts')!.imports, 'http/schemas.ts'],
    });
    expect(violations(broken).sort()).toEqual(
      [
        'tokens/issue.ts imports jose: JWT libraries only in tokens/codec.ts, tokens/remote.ts, verify/, keys/, social/id-token.ts',
        'users/accounts.ts imports kysely: database drivers only in storage/',
        'users/accounts.ts imports fastify: Fastify only in http/, app.ts',
        'users/accounts.ts:7 reads the wall clock: take the injected now',
        'import cycle among: keys/algorithms.ts, tokens/rules.ts',
        'client/transport.ts imports node:crypto: client/ imports only itself',
        'client/transport.ts imports http/schemas.ts: client/ imports only itself',
      ].sort(),
    );
  });
});
