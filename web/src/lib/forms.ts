import type { SubmitFunction } from '@sveltejs/kit';

/**
 * For `use:enhance` on a form that moves money or changes shared work: a second click while the
 * first submit is on its way does nothing (the Idempotency-Key would make it harmless, but the
 * person should see one result). `reset: false` keeps what was typed after a success that stays on
 * the page; `afterFailure` runs after a refusal (e.g. `invalidateAll`: a colleague was quicker, so
 * the page fetches how things are now).
 */
export function onceAtATime(options: { reset?: boolean; afterFailure?: () => Promise<void>; onBusy?: (busy: boolean) => void } = {}): SubmitFunction {
  let busy = false;
  const setBusy = (value: boolean) => {
    busy = value;
    options.onBusy?.(value);
  };
  return ({ cancel }) => {
    if (busy) return cancel();
    setBusy(true);
    return async ({ result, update }) => {
      try {
        await update(options.reset === false ? { reset: false } : undefined);
        if (result.type === 'failure') await options.afterFailure?.();
      } finally {
        setBusy(false);
      }
    };
  };
}

/** A date 'YYYY-MM-DD' as people in the Netherlands write it in a form: '31-12-2027'. */
export function dayMonthYear(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? `${match[3]}-${match[2]}-${match[1]}` : isoDate;
}
