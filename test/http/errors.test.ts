import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, join, PASSWORD, testApp, type TestApp, withSession } from '../helpers.js';
import { invalidAccess, post, REQUIRED } from './bodies.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const PARSE_ERROR = { detail: 'JSON parse error - the request body is not valid JSON.', code: 'parse_error' };

describe('request errors', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await withSession();
  });
  afterEach(() => t.close());

  const raw = (url: string, body: string, headers: Record<string, string> = JSON_TYPE) =>
    t.app.inject({ method: 'POST', url, body, headers });

  describe('bodies that are not JSON objects', () => {
    it('answers 400 parse_error for malformed JSON', async () => {
      const response = await raw('/account/login/', '{"email": "kim@example.com", "password": ');
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(response.json()).toEqual(PARSE_ERROR);
    });

    it('answers 400 parse_error for a JSON body with a __proto__ key', async () => {
      const response = await raw('/account/join/', '{"__proto__": {"isStaff": true}, "email": "x@example.com"}');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(PARSE_ERROR);
    });

    it('answers 400 "Expected a dictionary" for a JSON array', async () => {
      const response = await raw('/account/login/', '["kim@example.com", "pw"]');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
    });

    it('answers 400 "Expected a dictionary" for a JSON string', async () => {
      const response = await raw('/account/login/', '"kim@example.com"');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] });
    });

    it('answers 400 "Expected a dictionary" for JSON null', async () => {
      const response = await raw('/account/login/', 'null');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got NoneType.'] });
    });

    it('takes an empty JSON body as {} and names the missing fields', async () => {
      const response = await raw('/account/login/', '');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: REQUIRED, password: REQUIRED });
    });

    it('takes a POST with no body and no content type as {}', async () => {
      const response = await t.app.inject({ method: 'POST', url: '/account/login/' });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: REQUIRED, password: REQUIRED });
    });
  });

  describe('wrong types', () => {
    it('refuses a number where a string is expected', async () => {
      const response = await post(t.app, '/account/login/', { email: 12345, password: PASSWORD });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: ['Not a valid string.'] });
    });

    it('refuses a boolean where a string is expected', async () => {
      const response = await post(t.app, '/api/token/', { email: 'kim@example.com', password: true });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ password: ['Not a valid string.'] });
    });

    it('refuses an object where a string is expected', async () => {
      const response = await post(t.app, '/api/token/refresh/', { refresh: { $ne: null } });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ refresh: ['Not a valid string.'] });
    });

    it('refuses null for a required field', async () => {
      const response = await post(t.app, '/account/join/', { email: null, password1: PASSWORD, password2: PASSWORD });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: ['This field may not be null.'] });
    });

    it('reports each wrong field once, with the missing ones', async () => {
      const response = await post(t.app, '/account/join/', { email: 1, password1: [] });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        email: ['Not a valid string.'],
        password1: ['Not a valid string.'],
        password2: REQUIRED,
      });
    });
  });

  describe('sizes', () => {
    it('answers 413 payload_too_large for a body over the limit', async () => {
      const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: 'x'.repeat(70_000) });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toEqual({ detail: 'Request body is too large.', code: 'payload_too_large' });
    });

    it('answers 413 for a body over a configured smaller limit', async () => {
      const small = await testApp({ config: { bodyLimit: 2048 } });
      try {
        const response = await post(small.app, '/account/login/', {
          email: 'kim@example.com',
          password: 'x'.repeat(3000),
        });
        expect(response.statusCode).toBe(413);
        expect(response.json()).toEqual({ detail: 'Request body is too large.', code: 'payload_too_large' });
      } finally {
        await small.close();
      }
    });

    it('refuses an absurdly long e-mail with a field error', async () => {
      const response = await post(t.app, '/account/login/', {
        email: `${'k'.repeat(10_000)}@example.com`,
        password: PASSWORD,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: ['Ensure this field has no more than 254 characters.'] });
    });

    it('refuses an absurdly long e-mail at join with a field error', async () => {
      const response = await post(t.app, '/account/join/', {
        email: `${'k'.repeat(300)}@example.com`,
        password1: PASSWORD,
        password2: PASSWORD,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ email: ['Ensure this field has no more than 254 characters.'] });
    });

    it('refuses an absurdly long password before hashing it', async () => {
      const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: 'p'.repeat(20_000) });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ password: ['Ensure this field has no more than 1024 characters.'] });
    });

    it('refuses absurdly long new passwords at join', async () => {
      const long = 'p'.repeat(5_000);
      const response = await post(t.app, '/account/join/', {
        email: 'lee@example.com',
        password1: long,
        password2: long,
      });
      expect(response.statusCode).toBe(400);
      const error = ['Ensure this field has no more than 1024 characters.'];
      expect(response.json()).toEqual({ password1: error, password2: error });
    });

    it('refuses an absurdly long token with a field error', async () => {
      const response = await post(t.app, '/api/token/verify/', { token: 'a'.repeat(9_000) });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ token: ['Ensure this field has no more than 8192 characters.'] });
    });

    it('answers 401 token_not_valid for an absurdly long bearer token', async () => {
      const response = await t.app.inject({ url: '/account/mypage/', headers: bearer('a'.repeat(9_000)) });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(invalidAccess('Token is invalid'));
    });
  });

  describe('routing', () => {
    it('answers 404 not_found for an unknown path', async () => {
      const response = await t.app.inject({ url: '/account/nope/' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not found.', code: 'not_found' });
    });

    it('answers 404 not_found for an unknown path with a POST body', async () => {
      const response = await post(t.app, '/api/token/nope/', { token: 'x' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Not found.', code: 'not_found' });
    });

    it('answers 405 with Allow for GET on a POST-only route', async () => {
      const response = await t.app.inject({ url: '/account/login/' });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('POST, OPTIONS');
      expect(response.json()).toEqual({ detail: 'Method "GET" not allowed.', code: 'method_not_allowed' });
    });

    it.each([
      ['GET', '/account/join/'],
      ['PUT', '/account/logout/'],
      ['DELETE', '/account/password/change/'],
      ['GET', '/account/token/refresh/'],
      ['GET', '/account/token/verify/'],
      ['GET', '/api/token/'],
      ['PATCH', '/api/token/refresh/'],
      ['GET', '/api/token/verify/'],
      ['GET', '/api/token/blacklist/'],
      ['GET', '/api/token/sliding/'],
      ['GET', '/api/token/sliding/refresh/'],
    ] as const)('answers 405 to %s %s', async (method, url) => {
      const response = await t.app.inject({ method, url });
      expect(response.statusCode).toBe(405);
      expect(response.json()).toEqual({ detail: `Method "${method}" not allowed.`, code: 'method_not_allowed' });
    });
  });

  describe('media types', () => {
    it('answers 415 for text/plain', async () => {
      const response = await raw('/account/login/', 'email=kim@example.com', { 'content-type': 'text/plain' });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({
        detail: 'Unsupported media type "text/plain" in request.',
        code: 'unsupported_media_type',
      });
    });

    it('answers 415 for XML', async () => {
      const response = await raw('/account/login/', '<login/>', { 'content-type': 'application/xml' });
      expect(response.statusCode).toBe(415);
      expect(response.json()).toEqual({
        detail: 'Unsupported media type "application/xml" in request.',
        code: 'unsupported_media_type',
      });
    });

    it('accepts JSON with a charset parameter', async () => {
      const response = await raw('/account/login/', JSON.stringify({ email: 'kim@example.com', password: PASSWORD }), {
        'content-type': 'application/json; charset=utf-8',
      });
      expect(response.statusCode).toBe(200);
    });

    it('accepts a form-encoded login', async () => {
      const form = new URLSearchParams({ email: 'kim@example.com', password: PASSWORD }).toString();
      const response = await raw('/account/login/', form, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.statusCode).toBe(200);
      expect(response.json().user).toEqual({
        pk: 1,
        email: 'kim@example.com',
        first_name: '',
        last_name: '',
        gender: null,
        date_of_birth: null,
      });
    });

    it('accepts a form-encoded join', async () => {
      const form = new URLSearchParams({
        email: 'lee@example.com',
        password1: PASSWORD,
        password2: PASSWORD,
        gender: 'male',
      }).toString();
      const response = await raw('/account/join/', form, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.statusCode).toBe(201);
      expect(response.json().user).toEqual({
        pk: 2,
        email: 'lee@example.com',
        first_name: '',
        last_name: '',
        gender: 'male',
        date_of_birth: null,
      });
    });

    it('names the missing fields of a form-encoded body', async () => {
      const response = await raw('/account/login/', 'email=kim%40example.com', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ password: REQUIRED });
    });
  });

  it('ignores unknown body fields', async () => {
    const response = await post(t.app, '/account/login/', {
      email: 'kim@example.com',
      password: PASSWORD,
      remember_me: true,
      extra: { deep: [1] },
    });
    expect(response.statusCode).toBe(200);
  });

  it('answers 500 with a generic body, without internals, when storage fails', async () => {
    t.storage.users.findByEmail = async () => {
      throw new Error('SQLITE_CORRUPT: /srv/secret/path/db.sqlite3');
    };
    const response = await post(t.app, '/account/login/', { email: 'kim@example.com', password: PASSWORD });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ detail: 'A server error occurred.', code: 'error' });
  });
});
