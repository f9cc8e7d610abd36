import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, PASSWORD, testApp, type TestApp } from '../helpers.js';
import { post, REQUIRED } from './bodies.js';

const URL = '/account/join/';
const body = (extra: Record<string, unknown> = {}) => ({
  email: 'kim@example.com',
  password1: PASSWORD,
  password2: PASSWORD,
  ...extra,
});

describe('POST /account/join/', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  it('answers 201 with an access token, a refresh token and the user', async () => {
    const response = await post(t.app, URL, body());
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      access: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      refresh: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      user: { pk: 1, email: 'kim@example.com', first_name: '', last_name: '', gender: null, date_of_birth: null },
    });
  });

  it('answers JSON with charset utf-8', async () => {
    const response = await post(t.app, URL, body());
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('gives an access token that authenticates at once', async () => {
    const { access } = (await post(t.app, URL, body())).json();
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(access) });
    expect(mypage.statusCode).toBe(200);
    expect(mypage.json()).toEqual({ message: '반갑습니다, kim@example.com님!' });
  });

  it('gives a refresh token that refreshes', async () => {
    const { refresh } = (await post(t.app, URL, body())).json();
    const response = await post(t.app, '/api/token/refresh/', { refresh });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ access: expect.any(String), refresh: expect.any(String) });
  });

  it('stores the optional profile fields', async () => {
    const response = await post(
      t.app,
      URL,
      body({ gender: 'female', date_of_birth: '1990-02-28', first_name: 'Min', last_name: 'Kim' }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toEqual({
      pk: 1,
      email: 'kim@example.com',
      first_name: 'Min',
      last_name: 'Kim',
      gender: 'female',
      date_of_birth: '1990-02-28',
    });
  });

  it('takes an empty or null gender and date of birth as none', async () => {
    const response = await post(t.app, URL, body({ gender: '', date_of_birth: null }));
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toEqual({
      pk: 1,
      email: 'kim@example.com',
      first_name: '',
      last_name: '',
      gender: null,
      date_of_birth: null,
    });
  });

  it('keeps the local part as given and lower-cases the domain (normalize_email)', async () => {
    const response = await post(t.app, URL, body({ email: '  Kim.Min@Example.COM ' }));
    expect(response.statusCode).toBe(201);
    expect(response.json().user.email).toBe('Kim.Min@example.com');
  });

  it('refuses an e-mail already registered, whatever its case', async () => {
    await post(t.app, URL, body({ email: 'kim@example.com' }));
    const response = await post(t.app, URL, body({ email: 'KIM@EXAMPLE.com' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ email: ['A user is already registered with this email address.'] });
  });

  it('refuses an address that is not an e-mail', async () => {
    const response = await post(t.app, URL, body({ email: 'kim-at-example.com' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ email: ['Enter a valid email address.'] });
  });

  it('refuses two different passwords with a non-field error', async () => {
    const response = await post(t.app, URL, body({ password2: `${PASSWORD}!` }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ non_field_errors: ["The two password fields didn't match."] });
  });

  it('refuses a password shorter than 8 characters', async () => {
    const response = await post(t.app, URL, body({ password1: 'Xq7!vz', password2: 'Xq7!vz' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      password1: ['This password is too short. It must contain at least 8 characters.'],
    });
  });

  it('refuses an entirely numeric password', async () => {
    const response = await post(t.app, URL, body({ password1: '5830174926', password2: '5830174926' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ password1: ['This password is entirely numeric.'] });
  });

  it('refuses a common password', async () => {
    const response = await post(t.app, URL, body({ password1: 'iloveyou', password2: 'iloveyou' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ password1: ['This password is too common.'] });
  });

  it('refuses a password too similar to the e-mail under non_field_errors (dj-rest-auth checks similarity when saving the user)', async () => {
    const response = await post(
      t.app,
      URL,
      body({ email: 'kimberlylane@example.com', password1: 'kimberlylane', password2: 'kimberlylane' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ non_field_errors: ['The password is too similar to the email address.'] });
  });

  it('refuses a password too similar to the first name', async () => {
    const response = await post(
      t.app,
      URL,
      body({ first_name: 'Seraphina', password1: 'seraphina1', password2: 'seraphina1' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ non_field_errors: ['The password is too similar to the first name.'] });
  });

  it('reports every password validator that fails', async () => {
    const response = await post(t.app, URL, body({ password1: '1234', password2: '1234' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      password1: [
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
        'This password is entirely numeric.',
      ],
    });
  });

  it('names every missing required field', async () => {
    const response = await post(t.app, URL, {});
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ email: REQUIRED, password1: REQUIRED, password2: REQUIRED });
  });

  it('refuses blank required fields', async () => {
    const response = await post(t.app, URL, { email: '', password1: '', password2: '' });
    expect(response.statusCode).toBe(400);
    const blank = ['This field may not be blank.'];
    expect(response.json()).toEqual({ email: blank, password1: blank, password2: blank });
  });

  it('refuses a gender other than male or female', async () => {
    const response = await post(t.app, URL, body({ gender: 'other' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ gender: ['"other" is not a valid choice.'] });
  });

  it('refuses a longer unknown gender with the choice error, not a length error', async () => {
    const response = await post(t.app, URL, body({ gender: 'nonbinary' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ gender: ['"nonbinary" is not a valid choice.'] });
  });

  it('refuses a date of birth not written YYYY-MM-DD', async () => {
    const response = await post(t.app, URL, body({ date_of_birth: '28/02/1990' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      date_of_birth: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
  });

  it('refuses a date of birth with a time part as a format error', async () => {
    const response = await post(t.app, URL, body({ date_of_birth: '1990-02-28T00:00:00Z' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      date_of_birth: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
  });

  it('refuses a date of birth that is not a real day', async () => {
    const response = await post(t.app, URL, body({ date_of_birth: '1990-02-30' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      date_of_birth: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
    });
  });

  it('refuses a date of birth in the future', async () => {
    const tomorrow = new Date(t.clock.now + 86_400_000).toISOString().slice(0, 10);
    const response = await post(t.app, URL, body({ date_of_birth: tomorrow }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ date_of_birth: ['Date of birth cannot be in the future.'] });
  });

  it('reports the errors of several fields together', async () => {
    const response = await post(t.app, URL, body({ email: 'nope', gender: 'x', password2: 'different password' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      email: ['Enter a valid email address.'],
      gender: ['"x" is not a valid choice.'],
      non_field_errors: ["The two password fields didn't match."],
    });
  });

  it('creates no user when it refuses', async () => {
    await post(t.app, URL, body({ password2: 'different password' }));
    expect(await t.storage.users.count()).toBe(0);
  });

  it('ignores unknown fields, including attempts to become staff or superuser', async () => {
    const response = await post(t.app, URL, body({ is_staff: true, is_superuser: true, is_active: false, pk: 99 }));
    expect(response.statusCode).toBe(201);
    expect(response.json().user.pk).toBe(1);
    const stored = await t.storage.users.findById(1);
    expect({ isStaff: stored?.isStaff, isSuperuser: stored?.isSuperuser, isActive: stored?.isActive }).toEqual({
      isStaff: false,
      isSuperuser: false,
      isActive: true,
    });
  });

  it('stores the password only as an argon2id hash', async () => {
    await post(t.app, URL, body());
    const stored = await t.storage.users.findById(1);
    expect(stored?.password).toMatch(/^\$argon2id\$/);
    expect(stored?.password).not.toContain(PASSWORD);
  });
});

describe('POST /account/join/ on SQLite', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ storage: 'sqlite' });
  });
  afterEach(() => t.close());

  it('creates one user when two joins race for one e-mail', async () => {
    const [a, b] = await Promise.all([
      post(t.app, URL, body({ email: 'kim@example.com' })),
      post(t.app, URL, body({ email: 'Kim@Example.com' })),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 400]);
    const refused = a.statusCode === 400 ? a : b;
    expect(refused.json()).toEqual({ email: ['A user is already registered with this email address.'] });
    expect(await t.storage.users.count()).toBe(1);
  });
});
