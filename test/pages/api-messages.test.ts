import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_MESSAGES, translateApiMessage } from '../../src/pages/browser/api-messages.js';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith(join('pages', 'browser')) ? [] : sources(path);
    return path.endsWith('.ts') ? [readFileSync(path, 'utf8')] : [];
  });
}

describe('the API messages on Korean pages', () => {
  const ko = API_MESSAGES.ko!;

  it('translates a message, and one with numbers by its shape', () => {
    expect(translateApiMessage(ko, 'This field is required.')).toBe('필수 항목입니다.');
    expect(translateApiMessage(ko, 'Request was throttled. Expected available in 37 seconds.')).toBe(
      '요청이 너무 많습니다. 37초 후에 다시 시도해 주세요.',
    );
    expect(translateApiMessage(ko, 'Request was throttled. Expected available in 1 second.')).toBe(
      '요청이 너무 많습니다. 1초 후에 다시 시도해 주세요.',
    );
    expect(translateApiMessage(ko, 'This password is too short. It must contain at least 12 characters.')).toBe(
      '비밀번호가 너무 짧습니다. 12자 이상이어야 합니다.',
    );
  });

  it('shows a message it does not know, and every message on English pages, as the API sent it', () => {
    expect(translateApiMessage(ko, 'Something new 42.')).toBe('Something new 42.');
    expect(translateApiMessage(ko, 'A brand-new message.')).toBe('A brand-new message.');
    expect(translateApiMessage(API_MESSAGES.en!, 'This field is required.')).toBe('This field is required.');
  });

  it('has no entry for a message the server no longer sends', () => {
    const text = sources(SRC).join('\n');
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    // The similarity message is built from the attribute's verbose name (passwords/policy.ts).
    const similar = /^The password is too similar to the (.+)\.$/;
    const missing = Object.keys(ko).filter((key) => {
      // The throttle's message is built singular or plural: `second${wait === 1 ? '' : 's'}`.
      if (key === 'Request was throttled. Expected available in {n} second.')
        return !text.includes("Expected available in ${wait} second${wait === 1 ? '' : 's'}.");
      const attr = similar.exec(key);
      if (attr) return !text.includes('The password is too similar to the ${') || !text.includes(`'${attr[1]}'`);
      const pattern = escape(key)
        .replaceAll("'", `(?:'|\\\\')`)
        .replace(/\\\{n\\\}/g, '(?:\\d+|\\$\\{[^}]+\\})');
      return !new RegExp(pattern).test(text);
    });
    expect(missing).toEqual([]);
  });
});
