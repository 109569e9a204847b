import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { notifications, outbox, type Database } from '@buurtservice/db';
import { formatEuro } from '@buurtservice/shared';
import { messageIdFor, redactPersonalData, type Mailer } from '../services/mailer.js';

/**
 * Delivering the outbox, and the daily booking reminders.
 *
 * Why a crash loses no message and sends none twice — as far as e-mail allows:
 *
 * 1. A message is written in the same transaction as the change it tells about (bookings,
 *    wallet jobs): it exists exactly when the change committed. Nothing is sent from inside that
 *    transaction, so a rollback never leaves an e-mail about something that did not happen.
 * 2. `deliverOutbox` first CLAIMS due rows (claimed_at, claim_token, attempts + 1) in one
 *    statement that commits on its own, with FOR UPDATE SKIP LOCKED: two workers (two API
 *    instances, or a run that overlaps the next minute's) never hold the same row.
 * 3. Then it sends, OUTSIDE any transaction, and marks the row sent in a second statement.
 * 4. A worker that dies after its claim leaves the row claimed. Once the lease has passed, the row
 *    is claimed again and sent again. While the lease runs, nobody else touches it.
 *
 * The one window left is between "the SMTP server accepted it" and "sent_at committed": a crash
 * (or a lost database connection) there means the message goes out a second time after the lease.
 * No protocol can close that window: SMTP has no transaction we could commit together with ours,
 * so e-mail delivery can be at-most-once or at-least-once, never exactly-once. We choose
 * AT-LEAST-ONCE (losing a cancellation is worse than hearing it twice) and make the repeat
 * harmless where we can: every try of a message carries the SAME Message-ID (derived from the
 * outbox id and the recipient), so receiving servers and mail clients that deduplicate on it show
 * it once. The lease (10 minutes) is far longer than one send may take (the SMTP timeouts in
 * mailer.ts, and a run stops claiming work after half the lease), so a slow but live worker is
 * not overtaken.
 *
 * A failed send counts a try, waits with exponential backoff (1, 2, 4 … minutes, at most 6 hours)
 * and keeps its last error (addresses and phone numbers taken out); after MAX_ATTEMPTS tries, or
 * at once when there is no one to send it to or it cannot be rendered, it is given up: `given_up_at`
 * is set and the row stays, visible, with its `last_error`.
 */

export const DELIVERY = {
  leaseSeconds: 600,
  maxAttempts: 10,
  batchSize: 25,
} as const;

/** Minutes to wait after the n-th failed try. */
export function backoffMinutes(attempts: number): number {
  return Math.min(2 ** Math.max(attempts - 1, 0), 360);
}

export interface DeliveryOptions {
  now?: Date;
  limit?: number;
  leaseSeconds?: number;
  maxAttempts?: number;
  /** where people open the app; a line in each message */
  publicWebUrl?: string;
  log?: { warn(obj: object, msg: string): void };
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  /** failed this time, tried again later */
  failed: number;
  givenUp: number;
  /** claimed but handed back unsent (the run stopped early) */
  released: number;
  /** claims taken over from a worker whose lease ran out */
  reclaimed: number;
}

/** A message that can never be sent as it is: given up at once instead of retried. */
class PermanentFailure extends Error {}

/**
 * Claims up to `limit` due messages, sends each to its recipients and marks it sent. Safe to run
 * in several processes at once (see above). Tests pass the clock.
 */
export async function deliverOutbox(db: Database, mailer: Mailer, options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const now = options.now ?? new Date();
  const leaseSeconds = options.leaseSeconds ?? DELIVERY.leaseSeconds;
  const maxAttempts = options.maxAttempts ?? DELIVERY.maxAttempts;
  const token = randomUUID();
  const report: DeliveryReport = { claimed: 0, sent: 0, failed: 0, givenUp: 0, released: 0, reclaimed: 0 };

  report.givenUp += await outbox.giveUpAbandoned(db, { now, leaseSeconds, maxAttempts });
  const claimed = await outbox.claimDue(db, { now, limit: options.limit ?? DELIVERY.batchSize, leaseSeconds, token, maxAttempts });
  report.claimed = claimed.length;
  report.reclaimed = claimed.filter((m) => m.reclaimed).length;

  const started = performance.now();
  for (const [index, message] of claimed.entries()) {
    // Never work on a claim near the end of its lease: hand the rest back for the next run.
    if (performance.now() - started > (leaseSeconds * 1000) / 2) {
      report.released = await outbox.releaseClaims(db, { ids: claimed.slice(index).map((m) => m.id), token });
      break;
    }
    try {
      const recipients = await notifications.recipientsOf(db, message);
      if (recipients.length === 0) throw new PermanentFailure(outbox.NO_RECIPIENT);
      for (const r of recipients) {
        let content: RenderedMessage;
        try {
          content = renderMessage(message.kind, message.payload, r.locale, options.publicWebUrl ?? null);
        } catch (err) {
          throw new PermanentFailure(`cannot render: ${(err as Error).message}`);
        }
        await mailer.send({
          messageId: messageIdFor(message.id, r.userId, mailer.messageIdDomain),
          to: r.email,
          subject: content.subject,
          text: content.text,
          meta: { outboxId: message.id, kind: message.kind, userId: r.userId, locale: r.locale, attempt: message.attempts },
        });
      }
    } catch (err) {
      const permanent = err instanceof PermanentFailure;
      const giveUp = permanent || message.attempts >= maxAttempts;
      const error = redactPersonalData(err instanceof Error ? err.message : String(err));
      const retryAt = giveUp ? null : new Date(now.getTime() + backoffMinutes(message.attempts) * 60_000);
      await outbox.markFailed(db, { id: message.id, token, now, error, retryAt });
      if (giveUp) report.givenUp += 1;
      else report.failed += 1;
      options.log?.warn({ outboxId: message.id, kind: message.kind, attempt: message.attempts, error, givenUp: giveUp }, 'message not delivered');
      continue;
    }
    // Sent. A crash (or a lost database connection) before this commits is the at-least-once
    // window described above: the claim stays, and after the lease the message goes out again
    // with the same Message-ID. Not caught here on purpose: a failure to record "sent" is not a
    // failed send, and must not count a try or back off.
    await outbox.markSent(db, { id: message.id, now });
    report.sent += 1;
  }
  return report;
}

/** The reminders for tomorrow's jobs (Europe/Amsterdam); idempotent per booking and day. */
export async function sendBookingReminders(db: Database, now: Date): Promise<number> {
  return notifications.enqueueReminders(db, { now });
}

// ── Texts ────────────────────────────────────────────────────────────────────────────────────────
// Short and plain: Dutch at B1 (the customer is "u", a colleague "je"), and English.

export interface RenderedMessage {
  subject: string;
  text: string;
}

type Locale = 'nl' | 'en';
type Payload = notifications.BookingMessagePayload;

const TZ = 'Europe/Amsterdam';

function when(p: Payload, locale: Locale): string {
  const tag = locale === 'nl' ? 'nl-NL' : 'en-GB';
  if (p.startsAt) {
    const at = new Date(p.startsAt);
    const day = new Intl.DateTimeFormat(tag, { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long' }).format(at);
    const time = new Intl.DateTimeFormat(tag, { timeZone: TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
    return locale === 'nl' ? `${day} om ${time}` : `${day} at ${time}`;
  }
  if (p.window) {
    const fmt = (d: string) => new Intl.DateTimeFormat(tag, { timeZone: 'UTC', day: 'numeric', month: 'long' }).format(new Date(`${d}T12:00:00Z`));
    return locale === 'nl' ? `tussen ${fmt(p.window.start)} en ${fmt(p.window.end)}` : `between ${fmt(p.window.start)} and ${fmt(p.window.end)}`;
  }
  return locale === 'nl' ? 'nog niet bekend' : 'not known yet';
}

function duration(minutes: number, locale: Locale): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (locale === 'nl') return [h > 0 ? `${h} uur` : '', m > 0 ? `${m} minuten` : ''].filter(Boolean).join(' en ');
  return [h > 0 ? `${h} hour${h === 1 ? '' : 's'}` : '', m > 0 ? `${m} minutes` : ''].filter(Boolean).join(' and ');
}

function where(p: Payload, locale: Locale): string {
  if (p.place === 'service_point') return locale === 'nl' ? 'op het servicepunt' : 'at the service point';
  const place = [p.locationName, p.address].filter(Boolean).join(', ');
  return place || (locale === 'nl' ? 'op het adres van de klant' : "at the customer's address");
}

function names(list: string[], locale: Locale): string {
  if (list.length <= 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} ${locale === 'nl' ? 'en' : 'and'} ${list[list.length - 1]}`;
}

function cheques(minutes: number, locale: Locale): string {
  if (minutes % 60 === 0) {
    const n = minutes / 60;
    return locale === 'nl' ? `${n} dienstencheque${n === 1 ? '' : 's'}` : `${n} service voucher${n === 1 ? '' : 's'}`;
  }
  return locale === 'nl' ? `${minutes} minuten` : `${minutes} minutes`;
}

function isBookingPayload(p: unknown): p is Payload {
  const o = p as Partial<Payload> | null;
  return typeof o === 'object' && o !== null && typeof o.bookingId === 'string' && (o.audience === 'customer' || o.audience === 'worker')
    && typeof o.service?.nl === 'string' && typeof o.service.en === 'string' && typeof o.durationMinutes === 'number' && Array.isArray(o.workers);
}

function bookingLines(p: Payload, locale: Locale): string[] {
  const service = p.service[locale];
  const nl = locale === 'nl';
  const lines = [
    `${nl ? 'Dienst' : 'Service'}: ${service}`,
    `${nl ? 'Wanneer' : 'When'}: ${when(p, locale)} (${duration(p.durationMinutes, locale)})`,
    `${nl ? 'Waar' : 'Where'}: ${where(p, locale)}`,
  ];
  if (p.workers.length > 0) lines.push(`${p.audience === 'worker' ? 'Team' : nl ? 'Wie komt' : 'Who comes'}: ${names(p.workers, locale)}`);
  if (p.audience === 'worker') {
    if (p.customerName) lines.push(`${nl ? 'Klant' : 'Customer'}: ${p.customerName}`);
    if (p.notes) lines.push(`${nl ? 'Opmerkingen' : 'Notes'}: ${p.notes}`);
  }
  return lines;
}

/** The subject and text of one message in the recipient's language. Throws for a kind or payload it does not know. */
export function renderMessage(kind: string, payload: unknown, locale: Locale, publicWebUrl: string | null): RenderedMessage {
  const nl = locale === 'nl';
  const footer = [
    '',
    ...(publicWebUrl ? [nl ? `Meer zien of iets veranderen: ${publicWebUrl}` : `See more or change something: ${publicWebUrl}`] : []),
    nl ? 'Groet, Buurtservice' : 'Kind regards, Buurtservice',
  ];
  const compose = (subject: string, intro: string[], body: string[] = []): RenderedMessage => ({
    subject,
    text: [nl ? 'Hallo,' : 'Hello,', '', ...intro, ...(body.length > 0 ? ['', ...body] : []), ...footer].join('\n'),
  });

  if (kind === 'cheques_expiring') {
    const p = payload as { minutes?: unknown; expiresOn?: unknown };
    if (typeof p.minutes !== 'number' || typeof p.expiresOn !== 'string') throw new Error('payload of cheques_expiring');
    return nl
      ? compose('Uw dienstencheques verlopen binnenkort', [`U heeft nog ${cheques(p.minutes, locale)} die verlopen op ${p.expiresOn}.`, 'Gebruik ze voor die dag voor een klus.'])
      : compose('Your service vouchers expire soon', [`You still have ${cheques(p.minutes, locale)} that expire on ${p.expiresOn}.`, 'Use them for a job before that day.']);
  }
  if (kind === 'city_pass_expiring') {
    const p = payload as { expiresOn?: unknown };
    if (typeof p.expiresOn !== 'string') throw new Error('payload of city_pass_expiring');
    return nl
      ? compose('Uw stadspas verloopt binnenkort', [`Uw stadspas verloopt op ${p.expiresOn}.`, 'Met een nieuwe pas houdt u het lagere tarief. Laat de nieuwe pas zien aan de balie.'])
      : compose('Your city pass expires soon', [`Your city pass expires on ${p.expiresOn}.`, 'With a new pass you keep the lower rate. Show the new pass at the counter.']);
  }

  if (!isBookingPayload(payload)) throw new Error(`payload of ${kind}`);
  const p = payload;
  const service = p.service[locale];
  const details = bookingLines(p, locale);
  const toWorker = p.audience === 'worker';
  switch (kind) {
    case 'booking_confirmed':
      return nl
        ? compose(`Bevestigd: ${service}`, ['Uw aanvraag is bevestigd. De dienstencheques staan voor u klaar.', 'Wij zoeken nu medewerkers. U krijgt bericht als bekend is wie komt.'], details)
        : compose(`Confirmed: ${service}`, ['Your request is confirmed. The service vouchers are set aside for it.', 'We are now finding workers. You will hear who comes.'], details);
    case 'worker_assigned':
      if (toWorker) {
        return nl
          ? compose(`Nieuwe klus: ${service}, ${when(p, locale)}`, ['Je bent ingepland voor deze klus.'], details)
          : compose(`New job: ${service}, ${when(p, locale)}`, ['You are planned for this job.'], details);
      }
      return nl
        ? compose(`Gepland: ${service}, ${when(p, locale)}`, [`Uw klus is gepland. ${names(p.workers, locale)} ${p.workers.length === 1 ? 'komt' : 'komen'}.`], details)
        : compose(`Planned: ${service}, ${when(p, locale)}`, [`Your job is planned. ${names(p.workers, locale)} will come.`], details);
    case 'worker_unassigned':
      return nl
        ? compose(`Niet meer ingepland: ${service}`, ['Je doet deze klus niet meer. Je hoeft niet te gaan.'], bookingLines({ ...p, workers: [] }, locale))
        : compose(`No longer planned: ${service}`, ['You no longer do this job. You do not need to go.'], bookingLines({ ...p, workers: [] }, locale));
    case 'booking_rescheduled':
      if (toWorker) {
        return nl
          ? compose(`Nieuwe tijd: ${service}, ${when(p, locale)}`, ['Deze klus heeft een nieuwe tijd. Je blijft ingepland.'], details)
          : compose(`New time: ${service}, ${when(p, locale)}`, ['This job has a new time. You are still planned.'], details);
      }
      return nl
        ? compose(`Nieuwe tijd: ${service}, ${when(p, locale)}`, ['Uw klus heeft een nieuwe tijd.', ...(p.workers.length === 0 ? ['Wij zoeken opnieuw medewerkers. U krijgt bericht als bekend is wie komt.'] : [])], details)
        : compose(`New time: ${service}, ${when(p, locale)}`, ['Your job has a new time.', ...(p.workers.length === 0 ? ['We are finding workers again. You will hear who comes.'] : [])], details);
    case 'booking_cancelled': {
      if (toWorker) {
        return nl
          ? compose(`Afgezegd: ${service}, ${when(p, locale)}`, ['Deze klus is afgezegd. Je hoeft niet te gaan.'], bookingLines({ ...p, workers: [] }, locale))
          : compose(`Cancelled: ${service}, ${when(p, locale)}`, ['This job is cancelled. You do not need to go.'], bookingLines({ ...p, workers: [] }, locale));
      }
      const fee = p.feeMinutes ?? 0;
      const money = fee > 0
        ? (nl ? [`U heeft laat afgezegd. Daarom kost het ${cheques(fee, locale)}. De rest staat weer in uw portemonnee.`] : [`You cancelled late, so it costs ${cheques(fee, locale)}. The rest is back in your wallet.`])
        : (nl ? ['De dienstencheques staan weer in uw portemonnee.'] : ['The service vouchers are back in your wallet.']);
      return nl
        ? compose(`Afgezegd: ${service}`, ['Uw klus is afgezegd.', ...money], bookingLines({ ...p, workers: [] }, locale))
        : compose(`Cancelled: ${service}`, ['Your job is cancelled.', ...money], bookingLines({ ...p, workers: [] }, locale));
    }
    case 'booking_reminder':
      if (toWorker) {
        return nl
          ? compose(`Morgen: ${service}, ${when(p, locale)}`, ['Een herinnering: morgen doe je deze klus.'], details)
          : compose(`Tomorrow: ${service}, ${when(p, locale)}`, ['A reminder: tomorrow you do this job.'], details);
      }
      return nl
        ? compose(`Morgen: ${service}, ${when(p, locale)}`, ['Een herinnering: morgen komen wij voor uw klus.', 'Kan het toch niet? Zeg dan zo snel mogelijk af.'], details)
        : compose(`Tomorrow: ${service}, ${when(p, locale)}`, ['A reminder: tomorrow we come for your job.', 'If it does not suit you after all, please cancel as soon as you can.'], details);
    case 'hours_confirm_reminder': {
      if (typeof p.autoConfirmAt !== 'string' || typeof p.hoursMinutes !== 'number' || typeof p.hoursCents !== 'number') throw new Error('payload of hours_confirm_reminder');
      const on = when({ ...p, startsAt: p.autoConfirmAt }, locale);
      const hours = `${duration(p.hoursMinutes, locale) || (nl ? '0 minuten' : '0 minutes')} (${formatEuro(p.hoursCents, locale)})`;
      return nl
        ? compose(`Kloppen de uren? ${service}`, [
          `De medewerkers hebben hun uren voor deze klus geschreven: samen ${hours}.`,
          'Kijk of dit klopt. Klopt het, keur de uren dan goed. Klopt het niet, laat ons dan weten wat er niet klopt.',
          `Doet u niets? Dan keuren wij de uren ${on} vanzelf goed.`,
        ], details)
        : compose(`Are the hours right? ${service}`, [
          `The workers have logged their hours for this job: ${hours} in all.`,
          'Please check them. If they are right, confirm them. If not, tell us what is wrong.',
          `If you do nothing, the hours are confirmed automatically on ${on}.`,
        ], details);
    }
    default:
      throw new Error(`unknown message kind ${kind}`);
  }
}
