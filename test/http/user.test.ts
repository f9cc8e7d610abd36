import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, testApp, type TestApp } from '../helpers.js';
import { CHALLENGE, invalidAccess, NOT_AUTHENTICATED } from './bodies.js';

const URL = '/account/user/';
const KIM = { pk: 1, email: 'kim@example.com', first_name: '', last_name: '', gender: null, date_of_birth: null };

describe('GET, PUT, PATCH /account/user/', () => {
  let t: TestApp;
  let access: string;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
    ({ access } = await join(t.app));
  });
  afterEach(() => t.close());

  const send = (method: 'PUT' | 'PATCH', payload: Record<string, unknown>, token = access) =>
    t.app.inject({ method, url: URL, payload, headers: bearer(token) });

  it('GET answers 200 with the current user', async () => {
    const response = await t.app.inject({ url: URL, headers: bearer(access) });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(KIM);
  });

  it('GET reads the user as stored now, not as the token says', async () => {
    await t.storage.users.update(1, { firstName: 'Min' });
    const response = await t.app.inject({ url: URL, headers: bearer(access) });
    expect(response.json()).toEqual({ ...KIM, first_name: 'Min' });
  });

  it('PUT sets every profile field and answers the user', async () => {
    const response = await send('PUT', {
      first_name: 'Min',
      last_name: 'Kim',
      gender: 'male',
      date_of_birth: '1988-12-01',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ...KIM,
      first_name: 'Min',
      last_name: 'Kim',
      gender: 'male',
      date_of_birth: '1988-12-01',
    });
  });

  it('PATCH changes only the fields sent', async () => {
    await send('PUT', { first_name: 'Min', last_name: 'Kim', gender: 'male', date_of_birth: '1988-12-01' });
    const response = await send('PATCH', { last_name: 'Lee' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ...KIM,
      first_name: 'Min',
      last_name: 'Lee',
      gender: 'male',
      date_of_birth: '1988-12-01',
    });
  });

  it('PATCH keeps the change: a later GET sees it', async () => {
    await send('PATCH', { first_name: 'Min' });
    const response = await t.app.inject({ url: URL, headers: bearer(access) });
    expect(response.json()).toEqual({ ...KIM, first_name: 'Min' });
  });

  it('PATCH clears gender and date of birth with null', async () => {
    await send('PATCH', { gender: 'female', date_of_birth: '1990-01-01' });
    const response = await send('PATCH', { gender: null, date_of_birth: null });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(KIM);
  });

  it('PATCH trims the whitespace around names (DRF CharField)', async () => {
    const response = await send('PATCH', { first_name: '  Min ' });
    expect(response.json()).toEqual({ ...KIM, first_name: 'Min' });
  });

  it('ignores e-mail, pk and the staff flags: they are read-only here', async () => {
    const response = await send('PATCH', {
      email: 'evil@example.com',
      pk: 7,
      is_staff: true,
      is_superuser: true,
      password: 'x',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(KIM);
    const stored = await t.storage.users.findById(1);
    expect({ email: stored?.email, isStaff: stored?.isStaff, isSuperuser: stored?.isSuperuser }).toEqual({
      email: 'kim@example.com',
      isStaff: false,
      isSuperuser: false,
    });
  });

  it('refuses a gender other than male or female', async () => {
    const response = await send('PATCH', { gender: 'robot' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ gender: ['"robot" is not a valid choice.'] });
  });

  it('refuses a date of birth in another format', async () => {
    const response = await send('PUT', { date_of_birth: '1990/01/01' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      date_of_birth: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
  });

  it('refuses a date of birth in the future', async () => {
    const next = new Date(t.clock.now + 400 * 86_400_000).toISOString().slice(0, 10);
    const response = await send('PATCH', { date_of_birth: next });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ date_of_birth: ['Date of birth cannot be in the future.'] });
  });

  it('refuses a first name longer than 150 characters', async () => {
    const response = await send('PATCH', { first_name: 'x'.repeat(151) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ first_name: ['Ensure this field has no more than 150 characters.'] });
  });

  it('refuses a name that is not a string', async () => {
    const response = await send('PATCH', { last_name: { nested: true } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ last_name: ['Not a valid string.'] });
  });

  it('refuses a null first name (only gender and date of birth may be null)', async () => {
    const response = await send('PATCH', { first_name: null });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ first_name: ['This field may not be null.'] });
  });

  it('changes nothing when it refuses', async () => {
    await send('PATCH', { first_name: 'Min', gender: 'robot' });
    expect((await t.storage.users.findById(1))?.firstName).toBe('');
  });

  it.each(['GET', 'PUT', 'PATCH'] as const)('%s answers 401 not_authenticated without credentials', async (method) => {
    const response = await t.app.inject({
      method,
      url: URL,
      ...(method === 'GET' ? {} : { payload: { first_name: 'Min' } }),
    });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(NOT_AUTHENTICATED);
  });

  it('answers 401 token_not_valid for a token that does not verify', async () => {
    const response = await t.app.inject({ url: URL, headers: bearer(`${access}x`) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(invalidAccess('Token is invalid'));
  });

  it('answers 401 user_not_found when the user was deleted', async () => {
    await t.storage.users.delete(1);
    await t.doorman.revocation.userChanged({ id: 1, email: 'kim@example.com' });
    const response = await t.app.inject({ url: URL, headers: bearer(access) });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ detail: 'User not found', code: 'user_not_found' });
  });

  it('answers 405 to DELETE with the allowed methods', async () => {
    const response = await t.app.inject({ method: 'DELETE', url: URL, headers: bearer(access) });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, PUT, PATCH, HEAD, OPTIONS');
    expect(response.json()).toEqual({ detail: 'Method "DELETE" not allowed.', code: 'method_not_allowed' });
  });
});
