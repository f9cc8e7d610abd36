import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import nodemailer from 'nodemailer';
import type { MailTransport } from './types.js';

/** `file:///abs/dir` → `/abs/dir`; `file://./rel/dir` (the development default) → `./rel/dir`. */
export function fileTransportDir(url: string): string {
  const rest = url.slice('file://'.length);
  return resolve(decodeURIComponent(rest.startsWith('/') ? rest : rest.replace(/^\.?\/?/, './')));
}

/**
 * smtp:// and smtps:// go to nodemailer's SMTP transport as they are (nodemailer reads the
 * user, password, port and query options from the URL); file:// renders the message with
 * nodemailer's stream transport and writes it as one .eml file (mode 0600: it holds a live
 * link) so the flows work in development with no mail server.
 */
export function createMailTransport(url: string): MailTransport {
  if (url.startsWith('file:')) {
    const dir = fileTransportDir(url);
    const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    let sequence = 0;
    return {
      async deliver(from, message) {
        const info = await render.sendMail({ from, ...message });
        await mkdir(dir, { recursive: true, mode: 0o700 });
        // Sortable by time of writing, unique without a clock read in the name's randomness.
        const name = `${process.hrtime.bigint().toString().padStart(20, '0')}-${(sequence++).toString(36)}-${randomBytes(4).toString('hex')}.eml`;
        await writeFile(resolve(dir, name), info.message as Buffer, { mode: 0o600 });
      },
      close: () => render.close(),
    };
  }
  const smtp = nodemailer.createTransport(url);
  return {
    async deliver(from, message) {
      await smtp.sendMail({ from, ...message });
    },
    close: () => smtp.close(),
  };
}
