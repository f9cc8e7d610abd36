import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a user gets it (issue 17): `npm pack` (its prepack builds dist/), the tarball
 * unpacked into a fresh folder's node_modules with its declared dependencies (no network), a TypeScript app written
 * like the README's "Protecting your own routes" snippet type-checked with tsc against the
 * installed declarations, then run against a real socket.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PASSWORD = 'correct horse battery';

/** The README snippet, made complete: a store of posts, and a listen that prints the port. */
const APP = `
import Fastify from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AuthError, openDoorman, doormanPlugin, requirePermission, checkObjectPermission,
         isAuthenticated, isAuthenticatedOrReadOnly, isAdminUser, isOwner, or, readOnly,
         djangoModelPermissions } from '@doorman-auth/server';

interface Post { id: number; ownerId: number; title: string }
const posts = new Map<number, Post>([[1, { id: 1, ownerId: 1, title: 'first' }]]);

const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
const doorman = await openDoorman();
await app.register(doormanPlugin, { doorman, prefix: '/auth' });
app.addHook('onClose', () => doorman.close());

app.get('/me', { preValidation: requirePermission(isAuthenticated) },
  async (request) => ({ email: request.auth!.user.email, claims: request.auth!.claims }));

const canEdit = or(readOnly, isOwner((post: Post) => post.ownerId), isAdminUser, djangoModelPermissions('board.post'));
app.patch('/posts/:id/', {
  preValidation: requirePermission(isAuthenticatedOrReadOnly),
  schema: { params: Type.Object({ id: Type.Integer() }), body: Type.Object({ title: Type.String({ minLength: 1 }) }) },
}, async (request) => {
  const post = posts.get(request.params.id);
  if (!post) throw new AuthError('not_found');
  await checkObjectPermission(request, canEdit, post);
  post.title = request.body.title;
  return post;
});

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
console.log(\`listening \${typeof address === 'object' && address ? address.port : ''}\`);
`;

/** A wrong use the declarations must catch (proves tsc really checks against them). */
const WRONG = `
import Fastify from 'fastify';
import '@doorman-auth/server';
const app = Fastify();
app.get('/x', async (request) => request.auth!.user.emial);
`;

/** tsc, asynchronously (a synchronous minute-long run would starve vitest's worker RPC). */
async function tsc(args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  try {
    await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), ...args], { cwd });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

describe('the packed package, installed and used as the README says', () => {
  let work: string;
  let appDir: string;
  let tarball: string;
  let server: ChildProcess | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'doorman-pack-'));
    // Pack a copy, so its prepack build never rewrites the dist/ other test files run from.
    const source = join(work, 'source');
    mkdirSync(source);
    for (const entry of [
      'src',
      'bin',
      'scripts',
      'docs',
      'package.json',
      'package-lock.json',
      'README.md',
      'LICENSE',
      'tsconfig.json',
      'tsconfig.build.json',
      'tsconfig.pages.json',
    ]) {
      cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
    // Asynchronously: a synchronous build of half a minute would starve vitest's worker RPC.
    const { stdout } = await promisify(execFile)(
      NPM,
      ['pack', '--json', '--loglevel=error', '--pack-destination', work],
      { cwd: source, env: { ...process.env, npm_config_update_notifier: 'false' } },
    );
    const packed = JSON.parse(stdout) as Array<{ filename: string }>;
    tarball = join(work, packed[0]!.filename);

    appDir = join(work, 'app');
    mkdirSync(appDir);
    writeFileSync(join(appDir, 'package.json'), JSON.stringify({ name: 'my-app', private: true, type: 'module' }));
    // Installed as npm would (the tarball unpacked into node_modules), without the network: each
    // declared dependency is a link into this checkout's node_modules. Only those are visible
    // from the package, so an import of an undeclared (dev) dependency fails here.
    const installed = join(appDir, 'node_modules/@doorman-auth/server');
    mkdirSync(join(appDir, 'node_modules/@doorman-auth'), { recursive: true });
    run('tar', ['-xzf', tarball, '-C', join(appDir, 'node_modules/@doorman-auth')], work);
    renameSync(join(appDir, 'node_modules/@doorman-auth/package'), installed);
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const name of Object.keys(manifest.dependencies)) {
      mkdirSync(dirname(join(appDir, 'node_modules', name)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), join(appDir, 'node_modules', name), 'dir');
    }
    writeFileSync(
      join(appDir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules/@types')],
          skipLibCheck: true,
          noEmitOnError: true,
        },
        include: ['app.ts'],
      }),
    );
  }, 240_000);

  afterAll(() => {
    server?.kill();
    rmSync(work, { recursive: true, force: true });
  });

  it('carries dist/ with its declarations, the bin and the LICENSE, and no sources or tests', () => {
    const files = run('tar', ['-tzf', tarball], work)
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
    for (const file of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/verify/index.js',
      'dist/verify/index.d.ts',
      'dist/client/index.js',
      'dist/client/index.d.ts',
      'dist/server.js',
      'dist/cli/index.js',
      'dist/pages/browser/main.js',
      'dist/pages/transport.js',
      'bin/doorman.js',
      'scripts/start.js',
      'LICENSE',
      'README.md',
      'package.json',
    ]) {
      expect(files).toContain(file);
    }
    expect(
      files.filter(
        (f) => f.startsWith('src/') || f.startsWith('test/') || f.endsWith('.map') || f.endsWith('.tsbuildinfo'),
      ),
    ).toEqual([]);
    const installed = JSON.parse(
      readFileSync(join(appDir, 'node_modules/@doorman-auth/server/package.json'), 'utf8'),
    ) as { name: string; bin: Record<string, string> };
    expect(installed.name).toBe('@doorman-auth/server');
    expect(installed.bin).toEqual({ doorman: './bin/doorman.js' });
    const version = run(
      process.execPath,
      [join(appDir, 'node_modules/@doorman-auth/server', installed.bin.doorman!), '--version'],
      appDir,
    ).trim();
    expect(version).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('type-checks the README snippet with no casts, and refuses a wrong field of request.auth', async () => {
    writeFileSync(join(appDir, 'app.ts'), APP);
    expect(await tsc(['-p', 'tsconfig.json'], appDir)).toEqual({ ok: true, output: '' });
    writeFileSync(join(appDir, 'wrong.ts'), WRONG);
    const wrong = await tsc(
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--target',
        'ES2022',
        '--types',
        'node',
        '--typeRoots',
        join(ROOT, 'node_modules/@types'),
        'wrong.ts',
      ],
      appDir,
    );
    expect(wrong.ok).toBe(false);
    expect(wrong.output).toMatch(/wrong\.ts.*Property 'emial' does not exist on type/);
  }, 300_000);

  it('runs: join, an authenticated route, a PATCH by the owner, and 404 (not 500) for a missing post', async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', NODE_ENV: 'development' };
    env.DOORMAN_DATABASE_URL = `sqlite:${join(work, 'app.sqlite3')}`;
    env.DOORMAN_DEV_KEY_FILE = join(work, 'keys', 'signing-key');
    server = spawn(process.execPath, ['out/app.js'], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((done, fail) => {
      let out = '';
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening (\d+)/.exec(out);
        if (match) done(Number(match[1]));
      });
      server!.once('exit', (code) => fail(new Error(`app exited ${code}: ${stderr}`)));
    });
    const base = `http://127.0.0.1:${port}`;
    const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });
    const joined = await fetch(`${base}/auth/account/join/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: json({ email: 'kim@example.com', password1: PASSWORD, password2: PASSWORD }).body,
    });
    expect(joined.status).toBe(201);
    const { access } = (await joined.json()) as { access: string };
    const auth = { authorization: `Bearer ${access}`, 'content-type': 'application/json' };

    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${access}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { email: string }).email).toBe('kim@example.com');
    const anonymous = await fetch(`${base}/me`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({
      detail: 'Authentication credentials were not provided.',
      code: 'not_authenticated',
    });

    const patched = await fetch(`${base}/posts/1/`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ title: 'edited' }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toEqual({ id: 1, ownerId: 1, title: 'edited' });
    const missing = await fetch(`${base}/posts/999/`, {
      method: 'PATCH',
      headers: auth,
      body: JSON.stringify({ title: 'x' }),
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not found.', code: 'not_found' });
  }, 60_000);

  it("starts from the packed tree with npm start's script, without TypeScript (nothing to compile)", async () => {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', NODE_ENV: 'development', DOORMAN_PORT: '0' };
    env.DOORMAN_DATABASE_URL = `sqlite:${join(work, 'start.sqlite3')}`;
    env.DOORMAN_DEV_KEY_FILE = join(work, 'start-keys', 'signing-key');
    const started = spawn(process.execPath, ['scripts/start.js'], {
      cwd: join(appDir, 'node_modules/@doorman-auth/server'),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((done, fail) => {
        let out = '';
        started.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /^.*"msg":"doorman development mode.*$/m.exec(out);
          if (match) done(match[0]);
        });
        started.once('exit', (code) => fail(new Error(`start exited ${code}: ${out}`)));
      });
      expect(JSON.parse(line)).toMatchObject({
        mode: 'development',
        keys: `development key ${env.DOORMAN_DEV_KEY_FILE}.HS256 (HS256)`,
      });
    } finally {
      started.kill();
    }
  }, 60_000);
});
