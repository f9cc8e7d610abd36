import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { envName, type Config } from '../../config/schema.js';
import { JWT_ALGORITHMS, type JwtAlgorithm } from '../../keys/algorithms.js';
import { longestTokenLifetime } from '../../keys/keystore.js';
import { readKeystore, writeKeystore, type KeystoreDocument } from '../../keys/keystore-file.js';
import { settingsEnv } from '../context.js';
import { CliError, type CliIO } from '../io.js';
import {
  addNextKey,
  initialKeystore,
  NextKeyExists,
  RetireRefused,
  retireKeys,
  rotateKeys,
  verifiesUntil,
} from '../../keys/rotation.js';

/** What the keys commands use of the CLI's IO. */
export type KeysIO = Pick<CliIO, 'stdout' | 'env'>;

const RESTART = 'Restart doorman (every instance) to load it.\n';

/** Settings without touching keys: `doorman keys` manages the keystore file itself. */
function keysConfig(io: KeysIO): Config & { keystoreFile: string } {
  const config = loadConfig({ env: settingsEnv(io.env), keys: false });
  if (!config.keystoreFile)
    throw new CliError(`set ${envName('keystoreFile')} to the keystore's path (for example ./.doorman/keystore.json)`);
  return config as Config & { keystoreFile: string };
}

function algorithmOption(value: string | undefined, fallback: JwtAlgorithm): JwtAlgorithm {
  if (value === undefined) return fallback;
  if (!(JWT_ALGORITHMS as readonly string[]).includes(value))
    throw new CliError(`unknown algorithm "${value}": expected one of ${JWT_ALGORITHMS.join(', ')}`);
  return value as JwtAlgorithm;
}

function load(path: string): KeystoreDocument {
  if (!existsSync(path)) throw new CliError(`${path} does not exist; create it with: doorman keys generate`);
  try {
    return readKeystore(path);
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}

/**
 * `keys generate`: creates the keystore with one active key (of --algorithm, or the ALGORITHM
 * setting), or adds a `next` key to an existing one (published and verifying, not signing) ahead
 * of `keys rotate`. The next key keeps the active key's algorithm unless --algorithm says
 * otherwise; a second next key is refused unless --force, which replaces the staged one.
 */
export function keysGenerate(io: KeysIO, options: { algorithm?: string; force?: boolean }, now = new Date()): void {
  const config = keysConfig(io);
  if (!existsSync(config.keystoreFile)) {
    const alg = algorithmOption(options.algorithm, config.algorithm);
    const document = initialKeystore(alg, now);
    writeKeystore(config.keystoreFile, document);
    io.stdout.write(`Created ${config.keystoreFile} with active key ${document.keys[0]!.kid} (${alg}).\n`);
    return;
  }
  const alg = options.algorithm === undefined ? undefined : algorithmOption(options.algorithm, config.algorithm);
  let added;
  try {
    added = addNextKey(load(config.keystoreFile), alg, now, { replace: options.force ?? false });
  } catch (error) {
    if (error instanceof NextKeyExists) throw new CliError(error.message);
    throw error;
  }
  const { document, key, replaced } = added;
  writeKeystore(config.keystoreFile, document);
  if (replaced) io.stdout.write(`Replaced next key ${replaced.kid} (${replaced.alg}).\n`);
  io.stdout.write(`Added next key ${key.kid} (${key.alg}): published and verifying, not signing yet.\n${RESTART}`);
  io.stdout.write(`Then, after JWKS caches have refreshed (${config.jwksMaxAge}s), run: doorman keys rotate\n`);
}

/** `keys rotate`: the newest `next` key (or a new one) signs; the active key retires and keeps verifying. */
export function keysRotate(io: KeysIO, options: { algorithm?: string }, now = new Date()): void {
  const config = keysConfig(io);
  const alg = options.algorithm === undefined ? undefined : algorithmOption(options.algorithm, config.algorithm);
  const result = rotateKeys(load(config.keystoreFile), now, alg);
  writeKeystore(config.keystoreFile, result.document);
  const until = new Date(verifiesUntil(result.retired, longestTokenLifetime(config))!).toISOString();
  io.stdout.write(
    `Active key: ${result.active.kid} (${result.active.alg}).\nRetired ${result.retired.kid}: its tokens verify until ${until}.\n${RESTART}`,
  );
}

/** `keys list`: every key, its status, and until when a retired key verifies. Never prints key material. */
export function keysList(io: KeysIO, now = new Date()): void {
  const config = keysConfig(io);
  const maxLifetime = longestTokenLifetime(config);
  const rows = load(config.keystoreFile).keys.map((key) => {
    const until = verifiesUntil(key, maxLifetime);
    const state =
      until === null
        ? key.status
        : until <= now.getTime()
          ? 'retired (expired; remove with: doorman keys retire)'
          : `retired (verifies until ${new Date(until).toISOString()})`;
    return `${key.kid}  ${key.alg.padEnd(5)}  created ${key.createdAt}  ${state}`;
  });
  io.stdout.write(rows.join('\n') + '\n');
}

/** `keys retire [kid]`: removes retired keys whose tokens have all expired (or the named one; --force for a compromised key). */
export function keysRetire(io: KeysIO, kid: string | undefined, options: { force?: boolean }, now = new Date()): void {
  const config = keysConfig(io);
  let result;
  try {
    result = retireKeys(load(config.keystoreFile), {
      now,
      maxLifetimeSeconds: longestTokenLifetime(config),
      kid,
      force: options.force ?? false,
    });
  } catch (error) {
    if (error instanceof RetireRefused) throw new CliError(error.message);
    throw error;
  }
  if (result.removed.length === 0) {
    io.stdout.write('No retired key has outlived its tokens yet; nothing removed.\n');
    return;
  }
  writeKeystore(config.keystoreFile, result.document);
  io.stdout.write(
    `Removed ${result.removed.map((k) => k.kid).join(', ')}: tokens they signed are now refused.\n${RESTART}`,
  );
}

/**
 * Adds `doorman keys generate|rotate|list|retire` to the program.
 *
 * @example
 * registerKeysCommand(program, io); // in src/cli/index.ts buildProgram()
 */
export function registerKeysCommand(program: Command, io: KeysIO): void {
  const keys = program
    .command('keys')
    .description(`manage the signing keys in the keystore file (${envName('keystoreFile')})`);
  keys
    .command('generate')
    .description('create the keystore, or add a next key (published, not signing) ahead of a rotation')
    .option(
      '--algorithm <alg>',
      "algorithm of the new key (default: the active key's; for a new keystore, the ALGORITHM setting)",
    )
    .option('--force', 'replace the staged next key (it has signed nothing) instead of refusing')
    .action((options: { algorithm?: string; force?: boolean }) => keysGenerate(io, options));
  keys
    .command('rotate')
    .description('make the next key (or a new one) active; the old key retires and keeps verifying its tokens')
    .option('--algorithm <alg>', 'algorithm of the new key (default: the current one)')
    .action((options: { algorithm?: string }) => keysRotate(io, options));
  keys
    .command('list')
    .description('list keys, their status, and until when retired keys verify')
    .action(() => keysList(io));
  keys
    .command('retire')
    .description('remove retired keys whose tokens have all expired, or the key <kid>')
    .argument('[kid]', 'one key to remove')
    .option('--force', 'remove it even though tokens it signed have not all expired (a compromised key)')
    .action((kid: string | undefined, options: { force?: boolean }) => keysRetire(io, kid, options));
}
