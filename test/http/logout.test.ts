import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bearer, type SessionApp, withSession } from '../helpers.js';
import { BLACKLISTED, CHALLENGE, invalidAccess, login, post, tokenNotValid } from './bodies.js';

const URL = '/account/logout/';
const LOGGED_OUT = { detail: 'Successfully logged out.' };

describe('POST /account/logout/', () => {
  let t: SessionApp;
  let session: { access: string; refresh: string };
  beforeEach(async () => {
    t = await withSession({ storage: 'sqlite' });
    session = t.session;
  });
  afterEach(() => t.close());

  it('answers 200 "Successfully logged out."', async () => {
    const response = await post(t.app, URL, { refresh: session.refresh }, bearer(session.access));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(LOGGED_OUT);
  });

  it('blacklists the refresh token', async () => {
    await post(t.app, URL, { refresh: session.refresh }, bearer(session.access));
    const refresh = await post(t.app, '/api/token/refresh/', { refresh: session.refresh });
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json()).toEqual(BLACKLISTED);
  });

  it('stops the access tokens of the session too', async () => {
    await post(t.app, URL, { refresh: session.refresh }, bearer(session.access));
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) });
    expect(mypage.statusCode).toBe(401);
    expect(mypage.json()).toEqual(invalidAccess('Token is blacklisted'));
  });

  it('stops the session even when no access token is sent (AllowAny, as dj-rest-auth)', async () => {
    const response = await post(t.app, URL, { refresh: session.refresh });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(LOGGED_OUT);
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) });
    expect(mypage.statusCode).toBe(401);
  });

  it('is not stopped by a bad access token in the header', async () => {
    const response = await post(t.app, URL, { refresh: session.refresh }, bearer('not.a.token'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(LOGGED_OUT);
  });

  it('also ends the session of the access token presented when the refresh belongs to another', async () => {
    const other = await login(t.app);
    await post(t.app, URL, { refresh: other.refresh }, bearer(session.access));
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(session.access) });
    expect(mypage.statusCode).toBe(401);
    expect(mypage.json()).toEqual(invalidAccess('Token is blacklisted'));
  });

  it("leaves the user's other sessions working", async () => {
    const other = await login(t.app);
    await post(t.app, URL, { refresh: session.refresh }, bearer(session.access));
    const mypage = await t.app.inject({ url: '/account/mypage/', headers: bearer(other.access) });
    expect(mypage.statusCode).toBe(200);
    const refresh = await post(t.app, '/api/token/refresh/', { refresh: other.refresh });
    expect(refresh.statusCode).toBe(200);
  });

  it('answers 401 when no refresh token is sent', async () => {
    const response = await post(t.app, URL, {}, bearer(session.access));
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(CHALLENGE);
    expect(response.json()).toEqual(tokenNotValid('Refresh token was not included in request data.'));
  });

  it('treats an empty refresh as none', async () => {
    const response = await post(t.app, URL, { refresh: '' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('Refresh token was not included in request data.'));
  });

  it('answers 401 "Token is blacklisted" for a refresh token already logged out', async () => {
    await post(t.app, URL, { refresh: session.refresh });
    const again = await post(t.app, URL, { refresh: session.refresh });
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual(BLACKLISTED);
  });

  it('answers 401 "Token is invalid" for a refresh that is not a token', async () => {
    const response = await post(t.app, URL, { refresh: 'garbage' });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('Token is invalid'));
  });

  it('answers 401 "Token has wrong type" for an access token sent as the refresh', async () => {
    const response = await post(t.app, URL, { refresh: session.access });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual(tokenNotValid('Token has wrong type'));
  });

  it('refuses a non-string refresh as a field error', async () => {
    const response = await post(t.app, URL, { refresh: 42 });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ refresh: ['Not a valid string.'] });
  });
});
