import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { ApiConfig } from '../config.js';

/**
 * How messages leave the outbox: by SMTP when `SMTP_URL` is set (nodemailer), otherwise as a
 * structured log line. Neither path writes an e-mail address or a phone number to the log; the
 * message body (which may hold an address and a customer's notes) is never logged.
 */

export interface OutgoingMail {
  /** the Message-ID header: derived from the outbox row, so every retry of one message carries the same */
  messageId: string;
  to: string;
  subject: string;
  text: string;
  /** for the log line: what this is, without personal data */
  meta: { outboxId: string; kind: string; userId: string | null; locale: string; attempt: number };
}

export interface SentMail {
  messageId: string;
  /** what the transport produced, when it keeps it (nodemailer's jsonTransport/streamTransport do) */
  raw?: unknown;
}

export interface Mailer {
  readonly transport: 'smtp' | 'log';
  /** the domain each Message-ID is made in (the From address's) */
  readonly messageIdDomain: string;
  /** Resolves once the transport accepted the message; rejects when it did not (or cannot tell). */
  send(mail: OutgoingMail): Promise<SentMail>;
  close(): void;
}

/** What the mailer logs with: a pino/Fastify logger fits. */
export interface MailLog {
  info(obj: object, msg: string): void;
}

/** The part of a nodemailer transporter the mailer uses (any of its transports fits). */
export interface MailTransport {
  sendMail(data: SendMailOptions): Promise<{ messageId?: string; message?: unknown }>;
  close(): void;
}

const EMAIL = /[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g;
// Phone numbers as people write them: +31 6 1234 5678, 06-12345678, 076 123 45 67 (8+ digits).
const PHONE = /(?:\+|\b)\d(?:[\s\-./()]*\d){7,}\b/g;

/** Takes e-mail addresses and phone numbers out of a text that goes to a log or last_error (an SMTP error often quotes the address). */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/** The domain of a From such as `Buurtservice <noreply@buurtservice.nl>`. */
export function domainOf(from: string): string {
  const m = /@([\w.-]+)>?\s*$/.exec(from.trim());
  return m?.[1]?.toLowerCase() ?? 'buurtservice.local';
}

/**
 * The Message-ID of one outbox message to one recipient. Stable across retries: a receiving
 * server or mail client that already has a message with this id may drop the second copy.
 */
export function messageIdFor(outboxId: string, userId: string | null, domain: string): string {
  return `<outbox.${outboxId}${userId ? `.${userId}` : ''}@${domain}>`;
}

/** Sends through a nodemailer transport (SMTP in production; jsonTransport/streamTransport in tests). */
export function smtpMailer(transport: MailTransport, from: string): Mailer {
  return {
    transport: 'smtp',
    messageIdDomain: domainOf(from),
    async send(mail) {
      const info = await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
      return { messageId: info.messageId ?? mail.messageId, raw: info.message };
    },
    close: () => transport.close(),
  };
}

/** Without SMTP: one structured line per message, with what it is about and nothing personal. */
export function logMailer(log: MailLog, from: string): Mailer {
  return {
    transport: 'log',
    messageIdDomain: domainOf(from),
    send(mail) {
      log.info({ mail: { ...mail.meta, messageId: mail.messageId, subject: redactPersonalData(mail.subject) } }, 'message (no SMTP_URL set: logged, not sent)');
      return Promise.resolve({ messageId: mail.messageId });
    },
    close: () => {},
  };
}

/** nodemailer's JSON transport: composes each message fully, sends nothing (tests, dry runs); `raw` is the JSON. */
export function jsonMailer(from: string): Mailer {
  return smtpMailer(nodemailer.createTransport({ jsonTransport: true }), from);
}

/**
 * SMTP when `SMTP_URL` is set, else the log. The timeouts keep one send well inside the outbox
 * lease (notification-jobs.ts): a hanging server fails the try instead of outliving the claim.
 */
export function createMailer(config: Pick<ApiConfig, 'smtpUrl' | 'mailFrom'>, log: MailLog): Mailer {
  if (!config.smtpUrl) return logMailer(log, config.mailFrom);
  const transport = nodemailer.createTransport({ url: config.smtpUrl, connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 30_000 });
  return smtpMailer(transport, config.mailFrom);
}
