import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

let box: CliSandbox;
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => box.cleanup());

const HOUR = 3_600_000;

describe('flushexpiredtokens', () => {
  it('deletes only expired sessions, ended or not, and expired auth events', async () => {
    await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
      env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
    });
    const { storage } = await box.open();
    const user = (await storage.users.findByEmail('kim@example.com'))!;
    const now = Date.now();
    const session = async (id: string, expiresIn: number, revoked: boolean) => {
      await storage.sessions.create({
        id,
        userId: user.id,
        tokenType: 'refresh',
        currentJti: `jti-${id}`,
        createdAt: new Date(now - 48 * HOUR),
        expiresAt: new Date(now + expiresIn),
        userAgent: null,
        ip: null,
        credentialsEpoch: user.credentialsEpoch,
      });
      if (revoked) await storage.sessions.revoke(id, new Date(now - HOUR), []);
    };
    await session('expired-live', -HOUR, false);
    await session('expired-ended', -HOUR, true);
    await session('live', HOUR, false);
    await session('live-ended', HOUR, true);
    await storage.events.append({ kind: 'session_revoked', subject: 'old', expiresAt: new Date(now - HOUR) });
    await storage.events.append({ kind: 'session_revoked', subject: 'current', expiresAt: new Date(now + HOUR) });

    const result = await box.run(['flushexpiredtokens']);
    expect(result).toEqual({
      code: 0,
      stdout:
        'Deleted 2 expired sessions and 1 expired auth event.\nDeleted 0 expired reset or verification tokens and 0 audit events older than 90 days.\n',
      stderr: '',
    });

    expect(await storage.sessions.find('expired-live')).toBeNull();
    expect(await storage.sessions.find('expired-ended')).toBeNull();
    expect(await storage.sessions.find('live')).toMatchObject({ revokedAt: null });
    expect((await storage.sessions.find('live-ended'))!.revokedAt).toBeInstanceOf(Date);
    const revoked = await storage.events.activeSessionRevocations(new Date(now));
    expect(revoked.map((r) => r.sessionId)).toEqual(['current']);

    const again = await box.run(['flushexpiredtokens']);
    expect(again.stdout).toBe(
      'Deleted 0 expired sessions and 0 expired auth events.\nDeleted 0 expired reset or verification tokens and 0 audit events older than 90 days.\n',
    );
  });

  it('applies the audit retention and deletes expired reset and verification tokens', async () => {
    await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], {
      env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD },
    });
    const { storage } = await box.open();
    const user = (await storage.users.findByEmail('kim@example.com'))!;
    const now = Date.now();
    const event = (ageDays: number) => ({
      at: new Date(now - ageDays * 86400_000),
      kind: 'login',
      userId: user.id,
      email: null,
      ip: null,
      userAgent: null,
      detail: `${ageDays}`,
    });
    await storage.audit.append([event(1), event(9), event(11)]);
    await storage.oneTimeTokens.put('password_reset', user.id, {
      tokenHash: 'aa'.repeat(32),
      expiresAt: new Date(now - 1000),
    });
    await storage.oneTimeTokens.put('email_verification', user.id, {
      tokenHash: 'bb'.repeat(32),
      expiresAt: new Date(now + HOUR),
    });
    const result = await box.run(['flushexpiredtokens'], { env: { DOORMAN_AUDIT_RETENTION: '10d' } });
    expect(result.stdout).toBe(
      'Deleted 0 expired sessions and 0 expired auth events.\nDeleted 1 expired reset or verification token and 1 audit event older than 10 days.\n',
    );
    expect((await storage.audit.list({ limit: 10, offset: 0 })).results.map((e) => e.detail)).toEqual(['1', '9']);
    expect(await storage.oneTimeTokens.find('email_verification', user.id)).not.toBeNull();
    const kept = await box.run(['flushexpiredtokens'], { env: { DOORMAN_AUDIT_RETENTION: '0' } });
    expect(kept.stdout).toContain('audit events are kept (auditRetention is 0)');
  });
});
