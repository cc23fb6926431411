import nodemailer from 'nodemailer';
import type { Mailer, MailMessage } from './mailer.js';
import { MailError } from './mail-error.js';

export interface SmtpSettings {
  /** smtp://user:password@host:port (STARTTLS when the server offers it) or smtps://… (TLS from the start). */
  url: string;
  /** The sender, e.g. `"Entra con CIE" <no-reply@example.it>`. */
  from: string;
  /** Longest wait for the connection, the greeting and each reply (ms): a sign-in never hangs on mail. */
  timeoutMs?: number;
  /** Refuse to send over a connection that is not encrypted (production: true). */
  requireTls?: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Mail through an SMTP server (nodemailer), every step bounded in time. */
export function smtpMailer(settings: SmtpSettings): Mailer & { close(): void } {
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const url = new URL(settings.url);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new MailError('mail_unavailable', `SMTP URL must be smtp:// or smtps:// (got ${url.protocol})`);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 587),
    secure: url.protocol === 'smtps:',
    requireTLS: settings.requireTls ?? false,
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(message: MailMessage) {
      try {
        await transport.sendMail({ from: settings.from, to: message.to, subject: message.subject, text: message.text });
      } catch (error) {
        throw new MailError('mail_unavailable', `mail not sent: ${(error as Error).message}`, {}, { cause: error });
      }
    },
    close: () => transport.close(),
  };
}
