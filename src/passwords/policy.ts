import type { PasswordValidatorName } from '../config/schema.js';
import { isCommonPassword } from './common.js';

/** The user attributes a password is compared with (Django's DEFAULT_USER_ATTRIBUTES, no username). */
export interface PasswordUserAttributes {
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
}

export interface PasswordPolicy {
  validators: readonly PasswordValidatorName[];
  minLength: number;
  maxSimilarity: number;
}

const VERBOSE_NAMES: Record<keyof PasswordUserAttributes, string> = {
  email: 'email address',
  first_name: 'first name',
  last_name: 'last name',
};

/** difflib.SequenceMatcher.quick_ratio: 2 × (characters in common, as multisets) / total length. */
function quickRatio(a: string, b: string): number {
  if (a.length + b.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const ch of b) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let matches = 0;
  for (const ch of a) {
    const left = counts.get(ch) ?? 0;
    if (left > 0) {
      matches++;
      counts.set(ch, left - 1);
    }
  }
  return (2 * matches) / (a.length + b.length);
}

/** Django 4.2's guard: a much longer password cannot be "too similar" to a short value. */
function exceedsMaximumLengthRatio(password: string, maxSimilarity: number, value: string): boolean {
  const lengthBound = (maxSimilarity / 2) * password.length;
  return password.length >= 10 * value.length && value.length < lengthBound;
}

function similarTo(password: string, user: PasswordUserAttributes, maxSimilarity: number): string | null {
  const lower = password.toLowerCase();
  for (const attr of Object.keys(VERBOSE_NAMES) as Array<keyof PasswordUserAttributes>) {
    const value = user[attr];
    if (!value) continue;
    for (const part of [...value.split(/\W+/u), value]) {
      if (!part || exceedsMaximumLengthRatio(password, maxSimilarity, part)) continue;
      if (quickRatio(lower, part.toLowerCase()) >= maxSimilarity)
        return `The password is too similar to the ${VERBOSE_NAMES[attr]}.`;
    }
  }
  return null;
}

/**
 * Django's four default AUTH_PASSWORD_VALIDATORS, with Django's messages. Returns every
 * failure (Django reports them all), or an empty list when the password is acceptable.
 */
export function validatePassword(password: string, user: PasswordUserAttributes, policy: PasswordPolicy): string[] {
  const errors: string[] = [];
  for (const name of policy.validators) {
    if (name === 'user_attribute_similarity') {
      const message = similarTo(password, user, policy.maxSimilarity);
      if (message) errors.push(message);
    } else if (name === 'minimum_length' && [...password].length < policy.minLength) {
      errors.push(
        `This password is too short. It must contain at least ${policy.minLength} character${policy.minLength === 1 ? '' : 's'}.`,
      );
    } else if (name === 'common' && isCommonPassword(password)) {
      errors.push('This password is too common.');
    } else if (name === 'numeric' && /^\d+$/.test(password)) {
      errors.push('This password is entirely numeric.');
    }
  }
  return errors;
}
