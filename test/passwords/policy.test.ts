import { describe, expect, it } from 'vitest';
import { PASSWORD_VALIDATORS } from '../../src/config/schema.js';
import { validatePassword } from '../../src/passwords/policy.js';

const policy = { validators: PASSWORD_VALIDATORS, minLength: 8, maxSimilarity: 0.7 };

describe("Django's default password validators", () => {
  it('accepts a long, uncommon password', () => {
    expect(validatePassword('correct horse battery', { email: 'kim@example.com' }, policy)).toEqual([]);
  });

  it('refuses a short password with the minimum in the message', () => {
    expect(validatePassword('Zq9$x', {}, policy)).toEqual([
      'This password is too short. It must contain at least 8 characters.',
    ]);
  });

  it('refuses a password from the common list, whatever its case and surrounding spaces', () => {
    expect(validatePassword('Password1', {}, policy)).toContain('This password is too common.');
    expect(validatePassword(' qwertyuiop ', {}, policy)).toContain('This password is too common.');
  });

  it('refuses an all-numeric password', () => {
    expect(validatePassword('48151623429', {}, policy)).toEqual(['This password is entirely numeric.']);
  });

  it('refuses a password too similar to the e-mail or the names', () => {
    expect(validatePassword('kimchi@example.com', { email: 'kimchi@example.com' }, policy)).toEqual([
      'The password is too similar to the email address.',
    ]);
    expect(validatePassword('Gildong-Hong', { first_name: 'Gildong', last_name: 'Hong' }, policy)).toEqual([
      'The password is too similar to the first name.',
    ]);
  });

  it('does not call a much longer password similar to a short attribute (Django 4.2 ratio guard)', () => {
    expect(validatePassword('a very long passphrase with lee in it', { last_name: 'Lee' }, policy)).toEqual([]);
  });

  it('reports every failure, in Django order', () => {
    expect(validatePassword('1234', {}, policy)).toEqual([
      'This password is too short. It must contain at least 8 characters.',
      'This password is too common.',
      'This password is entirely numeric.',
    ]);
  });

  it('runs only the configured validators', () => {
    expect(validatePassword('1234', {}, { ...policy, validators: ['numeric'] })).toEqual([
      'This password is entirely numeric.',
    ]);
    expect(validatePassword('1', {}, { ...policy, validators: [] })).toEqual([]);
  });
});
