import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalEmail } from '../../src/users/email-safety.js';
import { PASSWORD, testApp, type TestApp } from '../helpers.js';

describe('canonicalEmail', () => {
  it('one spelling per mailbox: NFKC, the domain in ASCII (UTS #46) lower case', () => {
    expect(canonicalEmail('  ｋｉｍ＠ｅｘａｍｐｌｅ．ｃｏｍ ')).toEqual({ email: 'kim@example.com', problem: null });
    expect(canonicalEmail('kim@example.ｃｏｍ')).toEqual({ email: 'kim@example.com', problem: null });
    expect(canonicalEmail('kim@example。com')).toEqual({ email: 'kim@example.com', problem: null });
    expect(canonicalEmail('Kim@EXAMPLE.com')).toEqual({ email: 'Kim@example.com', problem: null });
    expect(canonicalEmail('kim@bücher.de')).toEqual({ email: 'kim@xn--bcher-kva.de', problem: null });
    expect(canonicalEmail('kim@xn--bcher-kva.de')).toEqual({ email: 'kim@xn--bcher-kva.de', problem: null });
    expect(canonicalEmail('kim@BÜCHER.de').email).toBe('kim@xn--bcher-kva.de');
    // A whole-script domain that reads as itself is fine.
    expect(canonicalEmail('kim@пример.рф').problem).toBeNull();
    expect(canonicalEmail('kim@例え.jp').problem).toBeNull();
  });

  it('refuses deceptive domains: Cyrillic or Greek among Latin, Latin look-alikes, dotless ı', () => {
    for (const address of [
      'kim@ехаmple.com',
      'kim@еxample.com',
      'kim@exampΙe.com',
      'kim@gmaıl.com',
      'kim@xn--gmal-nza.com',
      'kim@раураl.com',
      'kim@сосо.com',
    ]) {
      expect(canonicalEmail(address).problem, address).toBe('Enter a valid email address.');
    }
  });

  it('refuses control and invisible characters', () => {
    for (const address of [
      'kim\u200b@example.com',
      'kim@exa\u200dmple.com',
      'kim\u0000@example.com',
      'kim@example.com\u202e',
      'k\u00adim@example.com',
      'kim\u3164@example.com',
      'kim@exam\ufe0fple.com',
    ]) {
      expect(canonicalEmail(address).problem, JSON.stringify(address)).toBe('Enter a valid email address.');
    }
  });
});

describe('look-alikes cannot make a second account', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(() => t.close());

  const join = (email: string, password = PASSWORD) =>
    t.app.inject({
      method: 'POST',
      url: '/account/join/',
      payload: { email, password1: password, password2: password },
    });

  it('fullwidth, fullwidth TLD, upper case, ideographic dot: the same account', async () => {
    expect((await join('kim@example.com')).statusCode).toBe(201);
    for (const address of [
      'ｋｉｍ@ｅｘａｍｐｌｅ．ｃｏｍ',
      'kim@example.ｃｏｍ',
      'kim@EXAMPLE.COM',
      'kim@example。com',
    ]) {
      const r = await join(address);
      expect(r.statusCode, address).toBe(400);
      expect(r.json()).toEqual({ email: ['A user is already registered with this email address.'] });
    }
    // And they all log in to it.
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'ｋｉｍ@ｅｘａｍｐｌｅ．ｃｏｍ', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.email).toBe('kim@example.com');
  });

  it('punycode and Unicode domains are one account', async () => {
    expect((await join('kim@bücher.de')).json().user.email).toBe('kim@xn--bcher-kva.de');
    expect((await join('kim@xn--bcher-kva.de')).json()).toEqual({
      email: ['A user is already registered with this email address.'],
    });
  });

  it('Cyrillic and dotless-ı look-alikes are refused', async () => {
    for (const address of ['kim@ехаmple.com', 'kim@gmaıl.com', 'kim@xn--gmal-nza.com']) {
      const r = await join(address);
      expect(r.statusCode, address).toBe(400);
      expect(r.json()).toEqual({ email: ['Enter a valid email address.'] });
    }
  });

  it('bounds: e-mail at most 254 characters, password at most 1024 characters (4096 bytes) before hashing', async () => {
    const long = `${'a'.repeat(64)}@${'b'.repeat(61)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`;
    expect(long.length).toBe(254);
    expect((await join(long)).statusCode).toBe(201);
    const over = await join(`${'a'.repeat(64)}@${'b'.repeat(62)}.${'c'.repeat(61)}.${'d'.repeat(61)}.com`);
    expect(over.statusCode).toBe(400);
    expect(Object.keys(over.json())).toEqual(['email']);
    const huge = '😀'.repeat(1025);
    const r = await join('lee@example.com', huge);
    expect(r.statusCode).toBe(400);
    expect(Object.keys(r.json())).toEqual(['password1', 'password2']);
    const login = await t.app.inject({
      method: 'POST',
      url: '/account/login/',
      payload: { email: 'lee@example.com', password: huge },
    });
    expect(login.statusCode).toBe(400);
    expect(Object.keys(login.json())).toEqual(['password']);
  });
});
