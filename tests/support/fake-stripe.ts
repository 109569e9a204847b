// Stands in for Stripe's network peer: a local HTTP server that answers the few API calls the app
// makes, the way Stripe does (form-encoded requests, JSON answers, Idempotency-Key honoured). The
// real Stripe SDK is pointed at it through STRIPE_API_URL; nothing leaves the machine.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSession {
  id: string;
  object: 'checkout.session';
  url: string;
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  amount_total: number;
  currency: string;
  mode: string;
  line_items_received: { quantity: number; unit_amount: number }[];
  allowed_payment_method_types: string[];
}

/** 'line_items[0][price_data][unit_amount]=1000' → nested object. */
function parseForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, '').split('[');
    let node = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  return root;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

export class FakeStripe {
  readonly sessions = new Map<string, FakeSession>();
  readonly refunds: { id: string; payment_intent: string; amount: number }[] = [];
  readonly requests: { method: string; path: string; idempotencyKey: string | undefined }[] = [];
  private readonly byIdempotencyKey = new Map<string, string>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const key = req.headers['idempotency-key'] as string | undefined;
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', idempotencyKey: key });
        const send = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req') });
          res.end(JSON.stringify(payload));
        };
        const replay = key ? this.byIdempotencyKey.get(key) : undefined;
        if (req.method === 'POST' && req.url === '/v1/checkout/sessions') {
          if (replay) return send(200, this.sessions.get(replay));
          const form = parseForm(body) as { client_reference_id?: string; metadata?: Record<string, string>; line_items?: Record<string, { quantity: string; price_data: { unit_amount: string } }>; allowed_payment_method_types?: Record<string, string>; mode?: string };
          const items = Object.values(form.line_items ?? {}).map((li) => ({ quantity: Number(li.quantity), unit_amount: Number(li.price_data.unit_amount) }));
          const session: FakeSession = {
            id: id('cs'), object: 'checkout.session', url: '', status: 'open', payment_status: 'unpaid',
            client_reference_id: form.client_reference_id ?? null, metadata: form.metadata ?? {}, payment_intent: null,
            amount_total: items.reduce((s, li) => s + li.quantity * li.unit_amount, 0), currency: 'eur', mode: form.mode ?? 'payment',
            line_items_received: items, allowed_payment_method_types: Object.values(form.allowed_payment_method_types ?? {}),
          };
          session.url = `https://checkout.stripe.test/${session.id}`;
          this.sessions.set(session.id, session);
          if (key) this.byIdempotencyKey.set(key, session.id);
          return send(200, session);
        }
        const retrieve = /^\/v1\/checkout\/sessions\/([^/?]+)/.exec(req.url ?? '');
        if (req.method === 'GET' && retrieve) {
          const session = this.sessions.get(retrieve[1]!);
          return session ? send(200, session) : send(404, { error: { type: 'invalid_request_error', message: 'No such checkout.session' } });
        }
        if (req.method === 'POST' && req.url === '/v1/refunds') {
          const form = parseForm(body) as { payment_intent: string; amount: string };
          const refund = { id: id('re'), object: 'refund', status: 'succeeded', payment_intent: form.payment_intent, amount: Number(form.amount) };
          if (!replay) {
            this.refunds.push(refund);
            if (key) this.byIdempotencyKey.set(key, refund.id);
          }
          return send(200, refund);
        }
        return send(404, { error: { type: 'invalid_request_error', message: `unknown route ${req.method} ${req.url}` } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The buyer paid: the session is complete and has a payment intent. */
  pay(sessionId: string): FakeSession {
    const session = this.sessions.get(sessionId)!;
    Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: id('pi') });
    return session;
  }

  event(type: string, session: FakeSession): string {
    return JSON.stringify({ id: id('evt'), object: 'event', api_version: '2025-01-01', created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object: { ...session } } });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
