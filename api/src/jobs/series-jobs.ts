import { series, type Database } from '@buurtservice/db';

/**
 * The daily work of recurring series: every live series gets its occurrences up to the rolling
 * horizon (`series.HORIZON_WEEKS` ahead of `now`). Takes the clock as an argument (tests move it)
 * and is idempotent: a second run at the same `now` makes nothing new.
 *
 * Each series in a transaction of its own: one that cannot be extended (its service was switched
 * off, say) is reported and the others go on; it is tried again the next day.
 */
export interface ExtendAllResult {
  series: number;
  created: number;
  keptWorkers: number;
  failed: { seriesId: string; error: string }[];
}

export async function extendAllSeries(db: Database, now: Date): Promise<ExtendAllResult> {
  const horizon = series.horizonEnd(now);
  const live = await series.listLiveSeries(db, horizon);
  const out: ExtendAllResult = { series: live.length, created: 0, keptWorkers: 0, failed: [] };
  for (const s of live) {
    try {
      const r = await db.transaction().execute((tx) => series.extendSeries(tx, { ...s, horizon, now, actorUserId: null }));
      out.created += r.created.length;
      out.keptWorkers += r.keptWorkers.reduce((n, k) => n + k.workerIds.length, 0);
    } catch (err) {
      out.failed.push({ seriesId: s.seriesId, error: err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err) });
    }
  }
  return out;
}
