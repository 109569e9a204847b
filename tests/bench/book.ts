// Issue 4's figure: booking a job (POST /bookings, with its wallet hold and an Idempotency-Key) as the
// dispatcher on behalf of households, spread over two API processes that share one PostgreSQL,
// against the same run's one-INSERT baseline. Afterwards every booking answered 201 must be ready to
// plan with its minutes held, and nothing else may have been booked.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createDatabase, DEMO_PASSWORD } from '@buurtservice/db';
import { apiCpuPerAnswer, call, CreatedCounter, type TwoProcessBench } from './http.js';

const HOUSEHOLDS = 50;
const CHEQUES_PER_HOUSEHOLD = 500;
const MINUTES = 15;

export interface BookOutcome {
  rps: number;
  p99: number;
  answered201: number;
  other: number;
  /** bookings answered 201 that are not ready to plan with their minutes held, or the reverse */
  discrepancy: number;
  /** the two API processes' CPU time per answer, µs */
  apiCpuMicrosPerAnswer: number | null;
}

function load(url: string, token: string, bodies: string[], connections: number, seconds: number, offset: number, run: string): Promise<autocannon.Result> {
  let next = offset;
  return new Promise((resolve, reject) => {
    autocannon({
      url,
      connections,
      duration: seconds,
      requests: [{
        method: 'POST',
        path: '/bookings',
        setupRequest: (req) => {
          const n = next++;
          return {
            ...req,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `bench-${run}-${offset}-${n}` },
            body: bodies[n % bodies.length]!,
          };
        },
      }],
    }, (err: Error | null, result: autocannon.Result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * `bases`: the two API processes. Sets up households with cheques through the API itself, drives
 * both processes at once (half the connections each), then checks every booking and its hold.
 */
export async function benchBook(options: TwoProcessBench): Promise<BookOutcome> {
  const [a, b] = options.bases;
  const { accessToken } = await call<{ accessToken: string }>(a, 'POST', '/auth/login', null, { email: 'coordinator@example.nl', password: DEMO_PASSWORD });
  const { services } = await call<{ services: { id: string; code: string }[] }>(a, 'GET', '/services', accessToken);
  const garden = services.find((s) => s.code === 'tuindienst');
  if (!garden) throw new Error('the demo data has no tuindienst');
  options.log(`book: ${HOUSEHOLDS} households with ${CHEQUES_PER_HOUSEHOLD} cheques each`);
  const owner = createDatabase({ url: options.databaseUrl, poolSize: 2 });
  try {
    await sql`update programmes set settings = settings || '{"maxChequesPerOrder": 1000}'::jsonb where slug = 'breda-noordoost'`.execute(owner);
    const households: string[] = [];
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const h = await call<{ id: string }>(a, 'POST', '/households', accessToken, {
        name: `Bench boeking ${i}`, street: 'Wisselaan', houseNumber: 2000 + i, postcode: '4823 JA', city: 'Breda', contact: { displayName: `Bench boeking ${i}` },
      });
      await call(a, 'POST', `/households/${h.id}/counter-sales`, accessToken, { cheques: CHEQUES_PER_HOUSEHOLD, paymentMethod: 'pin' });
      households.push(h.id);
    }
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    startsAt.setUTCHours(9, 0, 0, 0);
    const bodies = households.map((householdId) => JSON.stringify({
      householdId, serviceId: garden.id, place: 'home', startsAt: startsAt.toISOString(), durationMinutes: MINUTES, workersNeeded: 1, notes: 'bench',
    }));
    const sample = await call<{ hold: { status: string }; booking: { state: string } }>(a, 'POST', '/bookings', accessToken, JSON.parse(bodies[0]!) as unknown);
    if (sample.hold.status !== 'held' || sample.booking.state !== 'ready_to_plan') throw new Error(`book: the sample booking was not held: ${JSON.stringify(sample)}`);
    const before = await bookingCount(owner, households);

    const run = randomUUID().slice(0, 8);
    const half = Math.max(1, Math.floor(options.connections / 2));
    const answers = new CreatedCounter();
    if (options.warmupSeconds > 0) {
      options.log(`book: warm-up ${options.warmupSeconds} s`);
      answers.add(await Promise.all([
        load(a, accessToken, bodies, half, options.warmupSeconds, 0, `${run}w`), load(b, accessToken, bodies, half, options.warmupSeconds, HOUSEHOLDS / 2, `${run}w`),
      ]));
    }
    options.log(`book: ${options.seconds} s, ${half} connections on each of 2 API processes`);
    const { results: measured, cpuMicrosPerAnswer } = await apiCpuPerAnswer(options.apiCpuMicros, () => Promise.all([
      load(a, accessToken, bodies, half, options.seconds, 0, run), load(b, accessToken, bodies, half, options.seconds, HOUSEHOLDS / 2, run),
    ]));
    answers.add(measured);
    // Requests still in flight at the deadline finish (and may book) after autocannon stopped counting.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const created = (await bookingCount(owner, households)) - before;
    const unheld = await sql<{ n: number }>`
      select count(*)::int as n from bookings b
      left join ledger_accounts h on h.kind = 'hold' and h.booking_id = b.id
      left join ledger_balances lb on lb.account_id = h.id
      where b.household_id in (${sql.join(households)})
      group by b.id, b.state, b.duration_minutes, b.workers_needed
      having b.state <> 'ready_to_plan' or coalesce(sum(lb.minutes), 0) <> b.duration_minutes * b.workers_needed`.execute(owner);
    return {
      rps: measured.reduce((s, r) => s + r.requests.average, 0),
      p99: Math.max(...measured.map((r) => r.latency.p99)),
      answered201: answers.answered201,
      other: answers.other,
      // fewer bookings than answers (at most the in-flight ones may be more), and any booking without its hold
      discrepancy: Math.max(0, answers.answered201 - created) + unheld.rows.length,
      apiCpuMicrosPerAnswer: cpuMicrosPerAnswer,
    };
  } finally {
    await owner.destroy();
  }
}

async function bookingCount(db: ReturnType<typeof createDatabase>, households: string[]): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from bookings where household_id in (${sql.join(households)})`.execute(db);
  return r.rows[0]!.n;
}
