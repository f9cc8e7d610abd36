import { createHash } from 'node:crypto';
import { AuthError } from '../errors/auth-error.js';
import type { Admission } from './admission.js';
import type { CounterStore } from './counter.js';
import type { Rate } from './rate.js';
import { reachedBy, throttled } from './throttled.js';

export interface LoginLimits {
  /** Failures per (account, address). */
  pair: Rate;
  /** Failures per address, whatever the account (credential stuffing). */
  address: Rate;
  /** Failures per account, from every address: the looser, distributed-guessing limit. */
  account: Rate;
  /** How long an address that logged in to an account stays known to it (seconds). */
  knownAddressFor: number;
}

/** Who is trying: the client's address (its counting key) and the account named. */
export interface Attempt {
  address: string;
  account: string;
}

/** The counting key of an account: a hash, so shared stores (Redis) hold no e-mail addresses. */
function accountKey(email: string): string {
  return createHash('sha256').update(email.trim().normalize('NFKC').toLowerCase()).digest('base64url').slice(0, 22);
}

/** A wrong password (400/401) counts; anything else (503 busy, a crash) is not the client's failure. */
function isCredentialFailure(error: unknown): boolean {
  return error instanceof AuthError && error.status < 500;
}

/**
 * Brute-force protection for everything that checks a password (login, /api/token/,
 * /api/token/sliding/; later password reset confirm, which checks a secret the same way).
 *
 * Three failure counters, each a fixed window. Each attempt is counted BEFORE the password is
 * checked (so a burst of concurrent attempts cannot all slip past a read-then-write check) and
 * given back when it succeeds, so in effect they count failures:
 *
 * 1. per (account, address), tight (5 per 15 min): a guesser at one address against one account;
 * 2. per address, across accounts (30 per 15 min): credential stuffing from one address;
 * 3. per account, across addresses, looser (50 per hour): a guesser spread over many addresses.
 *
 * The per-account limit must not become a way to lock the owner out. Two rules see to it:
 * - one address can never exhaust it alone: an address is stopped by its pair limit first, and
 *   the settings are refused unless the account limit exceeds what one address can add in a
 *   window (config check); only failures that passed the pair limit reach the account counter;
 * - when it is exhausted anyway (a distributed attack), an address that has logged in to this
 *   account before (remembered for throttleKnownAddress, 14 days) is still let through, within its
 *   own pair budget. An owner at a new address during such an attack waits out the window:
 *   that is the one lockout doorman accepts, and the README says so.
 * A success clears the pair's failures and marks the address as known to the account.
 *
 * The refusal that reaches a limit carries it (ThrottledError.reached) for the audit log: a
 * `lockout` for the pair and account limits, `throttled` for the address limit, once per
 * window, not once per refused request. A known address let past the exhausted account limit
 * gives its hit back at once (its own pair budget holds it), so the refusal that reached the
 * account limit is still the next one from an unknown address.
 */
export function createLoginGuard(store: CounterStore, limits: LoginLimits, admission: Admission | null) {
  const pair = store.counter('login-pair', limits.pair);
  const address = store.counter('login-address', limits.address);
  const account = store.counter('login-account', limits.account);
  const known = store.counter('login-known', { points: 1, duration: limits.knownAddressFor });

  return {
    /**
     * Runs `check` (the password check, which throws on failure) if the attempt is within
     * every limit, else throws 429 throttled without checking anything.
     */
    async attempt<T>(who: Attempt, check: () => Promise<T>): Promise<T> {
      const leave = await admission?.admit(who.address);
      try {
        const a = accountKey(who.account);
        const p = `${a}|${who.address}`;
        const byAddress = await address.hit(who.address);
        if (!byAddress.allowed)
          throw throttled(byAddress.msBeforeNext, reachedBy(byAddress, 'throttled', 'login-address', limits.address));
        const byPair = await pair.hit(p);
        if (!byPair.allowed)
          throw throttled(byPair.msBeforeNext, reachedBy(byPair, 'lockout', 'login-pair', limits.pair, who.account));
        const byAccount = await account.hit(a);
        let accountCounted = true;
        if (!byAccount.allowed) {
          if ((await known.count(p)) === 0)
            throw throttled(
              byAccount.msBeforeNext,
              reachedBy(byAccount, 'lockout', 'login-account', limits.account, who.account),
            );
          await account.refund(a);
          accountCounted = false;
        }
        const refundAccount = () => (accountCounted ? account.refund(a) : Promise.resolve());
        let result: T;
        try {
          result = await check();
        } catch (error) {
          if (!isCredentialFailure(error))
            await Promise.all([address.refund(who.address), pair.refund(p), refundAccount()]);
          throw error;
        }
        await Promise.all([address.refund(who.address), pair.reset(p), refundAccount(), known.mark(p)]);
        return result;
      } finally {
        leave?.();
      }
    },
  };
}

export type LoginGuard = ReturnType<typeof createLoginGuard>;
