import { dictionary } from '@zxcvbn-ts/language-common';

let common: Set<string> | undefined;

/**
 * The common-password list: zxcvbn-ts's ranked list of ~49k passwords seen most often in
 * breaches (a maintained superset of the 20k list behind Django's CommonPasswordValidator).
 * Loaded on first use.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return common.has(password.trim().toLowerCase());
}
