import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, PASSWORD, type CliSandbox } from './cli-helpers.js';

let box: CliSandbox;
beforeEach(() => {
  box = cliSandbox();
});
afterEach(() => box.cleanup());

const HOUR = 3_600_000;

describe('flushexpiredtokens', () => {
  it('deletes only expired outstanding and blacklisted tokens and expired auth events', async () => {
    await box.run(['createsuperuser', '--no-input', '--email', 'kim@example.com'], { env: { DOORMAN_SUPERUSER_PASSWORD: PASSWORD } });
    const { storage } = await box.open();
    const user = (await storage.users.findByEmail('kim@example.com'))!;
    const now = Date.now();
    const row = (jti: string, expiresIn: number, revoked: boolean) => ({
      jti,
      userId: user.id,
      sessionId: `family-${jti}`,
      tokenType: 'refresh' as const,
      createdAt: new Date(now - 48 * HOUR),
      expiresAt: new Date(now + expiresIn),
      revokedAt: revoked ? new Date(now - HOUR) : null,
    });
    await storage.tokens.record(row('expired-outstanding', -HOUR, false));
    await storage.tokens.record(row('expired-blacklisted', -HOUR, true));
    await storage.tokens.record(row('live-outstanding', HOUR, false));
    await storage.tokens.record(row('live-blacklisted', HOUR, true));
    await storage.events.append({ kind: 'session_revoked', subject: 'old', expiresAt: new Date(now - HOUR) });
    await storage.events.append({ kind: 'session_revoked', subject: 'current', expiresAt: new Date(now + HOUR) });

    const result = await box.run(['flushexpiredtokens']);
    expect(result).toEqual({ code: 0, stdout: 'Deleted 2 expired tokens and 1 expired auth event.\n', stderr: '' });

    expect(await storage.tokens.find('expired-outstanding')).toBeNull();
    expect(await storage.tokens.find('expired-blacklisted')).toBeNull();
    expect(await storage.tokens.find('live-outstanding')).toMatchObject({ revokedAt: null });
    expect((await storage.tokens.find('live-blacklisted'))!.revokedAt).toBeInstanceOf(Date);
    const revoked = await storage.events.activeSessionRevocations(new Date(now));
    expect(revoked.map((r) => r.sessionId)).toEqual(['current']);

    const again = await box.run(['flushexpiredtokens']);
    expect(again.stdout).toBe('Deleted 0 expired tokens and 0 expired auth events.\n');
  });
});
