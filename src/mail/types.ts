/** One message, ready to send: both a text and an HTML part (user data already escaped in the HTML). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Something that delivers one message or throws (nodemailer behind it; see transport.ts). */
export interface MailTransport {
  deliver(from: string, message: MailMessage): Promise<void>;
  close(): void;
}

export type Language = 'ko' | 'en';
