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
    await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], { env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD } });
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
      if (revoked) await storage.sessions.revoke(id, new Date(now - HOUR));
    };
    await session('expired-live', -HOUR, false);
    await session('expired-ended', -HOUR, true);
    await session('live', HOUR, false);
    await session('live-ended', HOUR, true);
    await storage.events.append({ kind: 'session_revoked', subject: 'old', expiresAt: new Date(now - HOUR) });
    await storage.events.append({ kind: 'session_revoked', subject: 'current', expiresAt: new Date(now + HOUR) });

    const result = await box.run(['flushexpiredtokens']);
    expect(result).toEqual({ code: 0, stdout: 'Deleted 2 expired sessions and 1 expired auth event.\n', stderr: '' });

    expect(await storage.sessions.find('expired-live')).toBeNull();
    expect(await storage.sessions.find('expired-ended')).toBeNull();
    expect(await storage.sessions.find('live')).toMatchObject({ revokedAt: null });
    expect((await storage.sessions.find('live-ended'))!.revokedAt).toBeInstanceOf(Date);
    const revoked = await storage.events.activeSessionRevocations(new Date(now));
    expect(revoked.map((r) => r.sessionId)).toEqual(['current']);

    const again = await box.run(['flushexpiredtokens']);
    expect(again.stdout).toBe('Deleted 0 expired sessions and 0 expired auth events.\n');
  });
});
