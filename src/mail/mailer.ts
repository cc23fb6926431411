/** One plain-text mail (the provider sends only short notices and one-time codes). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where mail goes: an SMTP server, or the demo's local outbox. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
