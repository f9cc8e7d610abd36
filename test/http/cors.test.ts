import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers.js';

describe('CORS', () => {
  it('is off by default', async () => {
    const t = await testApp();
    try {
      const response = await t.app.inject({
        url: '/.well-known/jwks.json',
        headers: { origin: 'https://app.example.com' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('allows the listed origins only, with credentials when asked, and answers preflights', async () => {
    const t = await testApp({ config: { corsOrigins: ['https://app.example.com'], corsCredentials: true } });
    try {
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/account/login/',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-csrftoken',
        },
      });
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(preflight.headers['access-control-allow-credentials']).toBe('true');
      expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/x-csrftoken/i);
      const other = await t.app.inject({ url: '/.well-known/jwks.json', headers: { origin: 'https://evil.example' } });
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await t.close();
    }
    await expect(testApp({ config: { corsOrigins: ['*'], corsCredentials: true } })).rejects.toThrow(
      /DOORMAN_CORS_ORIGINS: a wildcard origin with credentials/,
    );
  });
});
