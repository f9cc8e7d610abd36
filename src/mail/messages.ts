import type { Language, MailMessage } from './types.js';

/** HTML-escapes text (OWASP's five characters): addresses and links are user-influenced. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

interface Body {
  subject: string;
  lines: string[];
  /** The link and its label, when the mail has one. */
  action?: { label: string; url: string };
  footer: string;
}

function render(to: string, body: Body): MailMessage {
  const text = [...body.lines, ...(body.action ? ['', body.action.url] : []), '', body.footer].join('\n');
  const paragraphs = body.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n');
  const action = body.action
    ? `<p><a href="${escapeHtml(body.action.url)}">${escapeHtml(body.action.label)}</a></p>\n<p>${escapeHtml(body.action.url)}</p>\n`
    : '';
  const html = `<!doctype html>\n<html><body>\n${paragraphs}\n${action}<p><small>${escapeHtml(body.footer)}</small></p>\n</body></html>\n`;
  return { to, subject: body.subject, text, html };
}

export function passwordResetMail(language: Language, to: string, url: string, minutes: number): MailMessage {
  return render(
    to,
    language === 'ko'
      ? {
          subject: '비밀번호 재설정',
          lines: [
            `${to} 계정의 비밀번호 재설정을 요청하셨습니다.`,
            `아래 링크에서 새 비밀번호를 설정하세요. 링크는 ${minutes}분 동안 한 번만 쓸 수 있습니다.`,
          ],
          action: { label: '비밀번호 재설정', url },
          footer: '요청하지 않으셨다면 이 메일을 무시하세요. 비밀번호는 바뀌지 않습니다.',
        }
      : {
          subject: 'Password reset',
          lines: [
            `You asked to reset the password of ${to}.`,
            `Set a new password at the link below. It works once, for ${minutes} minutes.`,
          ],
          action: { label: 'Reset your password', url },
          footer: 'If you did not ask for this, ignore this mail: your password stays as it is.',
        },
  );
}

export function verificationMail(language: Language, to: string, url: string): MailMessage {
  return render(
    to,
    language === 'ko'
      ? {
          subject: '이메일 주소 확인',
          lines: [`${to} 주소로 가입하셨습니다.`, '아래 링크를 눌러 이메일 주소를 확인해 주세요.'],
          action: { label: '이메일 주소 확인', url },
          footer: '가입하지 않으셨다면 이 메일을 무시하세요.',
        }
      : {
          subject: 'Confirm your e-mail address',
          lines: [`You signed up with ${to}.`, 'Follow the link below to confirm your e-mail address.'],
          action: { label: 'Confirm your e-mail address', url },
          footer: 'If you did not sign up, ignore this mail.',
        },
  );
}

/** Mandatory verification: join answers a taken address as a new one, and its owner hears of it here. */
export function alreadyRegisteredMail(language: Language, to: string): MailMessage {
  return render(
    to,
    language === 'ko'
      ? {
          subject: '가입 시도 알림',
          lines: [
            `누군가 ${to} 주소로 가입하려고 했습니다. 이 주소에는 이미 계정이 있습니다.`,
            '본인이라면 로그인하시거나, 비밀번호를 잊으셨다면 비밀번호 재설정을 요청하세요.',
          ],
          footer: '본인이 아니라면 이 메일을 무시하셔도 됩니다. 계정은 바뀌지 않았습니다.',
        }
      : {
          subject: 'Someone tried to register with your address',
          lines: [
            `Someone tried to sign up with ${to}. This address already has an account.`,
            'If it was you, log in, or ask for a password reset if you forgot your password.',
          ],
          footer: 'If it was not you, you can ignore this mail: nothing about your account changed.',
        },
  );
}
