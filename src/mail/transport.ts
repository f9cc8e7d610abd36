import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { MailTransport } from './types.js';

type Nodemailer = (typeof import('nodemailer'))['default'];

/**
 * nodemailer, loaded with the first message rather than at start: mail is off by default in
 * production, and its ~0.7 MB of source would otherwise stay in every server's heap, which V8's
 * heap growth under load multiplies several times in RSS (the bench's mypage RSS ceiling).
 */
let loaded: Promise<Nodemailer> | null = null;
async function nodemailer(): Promise<Nodemailer> {
  loaded ??= import('nodemailer').then((module) => module.default);
  return loaded;
}

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
    let render: ReturnType<Nodemailer['createTransport']> | null = null;
    let sequence = 0;
    return {
      async deliver(from, message) {
        render ??= (await nodemailer()).createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
        const info = await render.sendMail({ from, ...message });
        await mkdir(dir, { recursive: true, mode: 0o700 });
        // Sortable by time of writing, unique without a clock read in the name's randomness.
        const name = `${process.hrtime.bigint().toString().padStart(20, '0')}-${(sequence++).toString(36)}-${randomBytes(4).toString('hex')}.eml`;
        // Written aside and renamed: whoever watches the folder for *.eml (a developer's tool, the
        // tests) never reads a message half written.
        const partial = resolve(dir, `.${name}.partial`);
        await writeFile(partial, info.message as Buffer, { mode: 0o600 });
        await rename(partial, resolve(dir, name));
      },
      close: () => render?.close(),
    };
  }
  let smtp: ReturnType<Nodemailer['createTransport']> | null = null;
  return {
    async deliver(from, message) {
      smtp ??= (await nodemailer()).createTransport(url);
      await smtp.sendMail({ from, ...message });
    },
    close: () => smtp?.close(),
  };
}
