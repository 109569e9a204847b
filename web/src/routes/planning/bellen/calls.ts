import type { Answer } from '$lib/api/contract';

/** One message on the call list, as GET /dispatch/calls answers it (docs/api-bookings.md, "Call list"). */
export type Call = Answer<'/dispatch/calls', 'get'>['calls'][number];

/** GET /dispatch/calls/count: how many are on the call list. */
export type CallCount = Answer<'/dispatch/calls/count', 'get'>;
