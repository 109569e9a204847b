// Issue 3's figure: redemptions at the counter (POST /households/:id/redemptions) spread over two
// API processes that share one PostgreSQL, against the same run's one-INSERT baseline; afterwards
// the ledger must account for every minute that was answered 201.
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { createDatabase, DEMO_PASSWORD } from '@buurtservice/db';
import { apiCpuPerAnswer, call, CreatedCounter, type TwoProcessBench } from './http.js';

const HOUSEHOLDS = 50;
const CHEQUES_PER_HOUSEHOLD = 300;
const MINUTES = 15;

export interface RedeemOutcome {
  rps: number;
  p99: number;
  answered201: number;
  other: number;
  discrepancyMinutes: number;
  /** the two API processes' CPU time per answer, µs */
  apiCpuMicrosPerAnswer: number | null;
}

function load(url: string, token: string, households: string[], connections: number, seconds: number, offset: number): Promise<autocannon.Result> {
  let next = offset;
  return new Promise((resolve, reject) => {
    autocannon({
      url,
      connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      requests: [{
        method: 'POST',
        setupRequest: (req) => ({ ...req, path: `/households/${households[next++ % households.length]!}/redemptions`, body: JSON.stringify({ minutes: MINUTES }) }),
      }],
    }, (err: Error | null, result: autocannon.Result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * `bases`: the two API processes. Sets up households with cheques through the API itself, drives
 * both processes at once (half the connections each), then compares the ledger with the answers.
 */
export async function benchRedeem(options: TwoProcessBench): Promise<RedeemOutcome> {
  const [a, b] = options.bases;
  const { accessToken } = await call<{ accessToken: string }>(a, 'POST', '/auth/login', null, { email: 'coordinator@example.nl', password: DEMO_PASSWORD });
  options.log(`redeem: ${HOUSEHOLDS} households with ${CHEQUES_PER_HOUSEHOLD} cheques each`);
  const owner = createDatabase({ url: options.databaseUrl, poolSize: 2 });
  try {
    await sql`update programmes set settings = settings || '{"maxChequesPerOrder": 1000}'::jsonb where slug = 'breda-noordoost'`.execute(owner);
    const households: string[] = [];
    for (let i = 0; i < HOUSEHOLDS; i++) {
      const h = await call<{ id: string }>(a, 'POST', '/households', accessToken, {
        name: `Bench ${i}`, street: 'Wisselaan', houseNumber: 1000 + i, postcode: '4823 JA', city: 'Breda', contact: { displayName: `Bench ${i}` },
      });
      await call(a, 'POST', `/households/${h.id}/counter-sales`, accessToken, { cheques: CHEQUES_PER_HOUSEHOLD, paymentMethod: 'pin' });
      households.push(h.id);
    }
    const redeemedBefore = await redeemedMinutes(owner);
    const half = Math.max(1, Math.floor(options.connections / 2));
    const answers = new CreatedCounter();
    if (options.warmupSeconds > 0) {
      options.log(`redeem: warm-up ${options.warmupSeconds} s`);
      answers.add(await Promise.all([load(a, accessToken, households, half, options.warmupSeconds, 0), load(b, accessToken, households, half, options.warmupSeconds, HOUSEHOLDS / 2)]));
    }
    options.log(`redeem: ${options.seconds} s, ${half} connections on each of 2 API processes`);
    const { results: measured, cpuMicrosPerAnswer } = await apiCpuPerAnswer(options.apiCpuMicros, () => Promise.all([
      load(a, accessToken, households, half, options.seconds, 0), load(b, accessToken, households, half, options.seconds, HOUSEHOLDS / 2),
    ]));
    answers.add(measured);
    // autocannon stops counting at the deadline while the servers finish what is in flight: let
    // them, then compare what left the wallets with what arrived in `redeemed`.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const actual = (await redeemedMinutes(owner)) - redeemedBefore;
    const left = await sql<{ m: number }>`
      select coalesce(sum(b.minutes), 0)::int as m from ledger_balances b join ledger_accounts a on a.id = b.account_id
      where a.kind = 'wallet' and a.household_id in (${sql.join(households)})`.execute(owner);
    const spent = HOUSEHOLDS * CHEQUES_PER_HOUSEHOLD * 60 - left.rows[0]!.m;
    const unbalanced = await sql<{ n: number }>`select count(*)::int as n from (select transaction_id from ledger_entries group by 1 having sum(minutes) <> 0) t`.execute(owner);
    const total = await sql<{ m: number }>`select coalesce(sum(minutes), 0)::int as m from ledger_entries`.execute(owner);
    return {
      rps: measured.reduce((s, r) => s + r.requests.average, 0),
      p99: Math.max(...measured.map((r) => r.latency.p99)),
      answered201: answers.answered201,
      other: answers.other,
      // minutes that left the wallets but did not arrive in `redeemed` (or the reverse), minutes
      // answered 201 that the ledger does not show, and any imbalance of the ledger as a whole
      discrepancyMinutes: Math.abs(actual - spent) + Math.max(0, answers.answered201 * MINUTES - actual) + Math.abs(total.rows[0]!.m) + unbalanced.rows[0]!.n,
      apiCpuMicrosPerAnswer: cpuMicrosPerAnswer,
    };
  } finally {
    await owner.destroy();
  }
}

async function redeemedMinutes(db: ReturnType<typeof createDatabase>): Promise<number> {
  const r = await sql<{ m: number }>`select coalesce(sum(e.minutes), 0)::int as m from ledger_entries e join ledger_accounts a on a.id = e.account_id where a.kind = 'redeemed'`.execute(db);
  return r.rows[0]!.m;
}
