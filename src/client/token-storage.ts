/** The tokens a bearer-mode client holds. */
export interface Tokens {
  access: string | null;
  refresh: string | null;
}

/**
 * Where a bearer-mode client keeps its tokens. The default keeps them in memory only (gone on
 * reload: nothing for an injected script to find in localStorage). A native app plugs in its
 * secure store (Keychain, Keystore) so a session survives a restart; methods may be async.
 * Cookie mode uses no storage: the tokens live in HttpOnly cookies that script cannot read.
 *
 * @example
 * const keychainStorage: TokenStorage = {
 *   load: async () => JSON.parse((await Keychain.get('doorman')) ?? 'null'),
 *   save: (tokens) => Keychain.set('doorman', JSON.stringify(tokens)),
 *   clear: () => Keychain.remove('doorman'),
 * };
 * const client = createDoormanClient({ baseUrl: 'https://auth.example.com', storage: keychainStorage });
 */
export interface TokenStorage {
  load(): Tokens | null | Promise<Tokens | null>;
  save(tokens: Tokens): void | Promise<void>;
  clear(): void | Promise<void>;
}

/**
 * The default storage: a variable in this client.
 *
 * @example
 * const client = createDoormanClient({ baseUrl: '', storage: memoryTokenStorage() });
 */
export function memoryTokenStorage(initial: Tokens | null = null): TokenStorage {
  let tokens = initial;
  return {
    load: () => tokens,
    save: (next) => {
      tokens = { ...next };
    },
    clear: () => {
      tokens = null;
    },
  };
}
