import type autocannon from 'autocannon';

// One JSON call to a bench server (set-up and checks, not the measured load): any answer of 300 or
// more stops the run with its body.
export async function call<T>(base: string, method: string, url: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(token && { authorization: `Bearer ${token}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Counts the answers of autocannon runs: 201s, and everything else (errors included). */
export class CreatedCounter {
  answered201 = 0;
  other = 0;

  add(results: readonly autocannon.Result[]): void {
    for (const r of results) {
      const created = r.statusCodeStats?.['201']?.count ?? 0;
      this.answered201 += created;
      this.other += r.requests.total - created;
    }
  }
}

/** What run.ts gives the benches that drive two API processes. */
export interface TwoProcessBench {
  bases: [string, string];
  databaseUrl: string;
  connections: number;
  seconds: number;
  warmupSeconds: number;
  log: (line: string) => void;
  /** CPU time both API processes have used so far (user + system, µs); null when they share the bench's process */
  apiCpuMicros: () => Promise<number | null>;
}

/** The API processes' CPU time per answer during `measure`, µs (null when it cannot be told). */
export async function apiCpuPerAnswer<T extends readonly autocannon.Result[]>(cpu: () => Promise<number | null>, measure: () => Promise<T>): Promise<{ results: T; cpuMicrosPerAnswer: number | null }> {
  const before = await cpu();
  const results = await measure();
  const after = await cpu();
  const answers = results.reduce((sum, r) => sum + r.requests.total, 0);
  return { results, cpuMicrosPerAnswer: before === null || after === null || answers === 0 ? null : (after - before) / answers };
}
