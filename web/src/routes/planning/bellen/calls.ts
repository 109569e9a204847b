/** GET /dispatch/calls (docs/api-contract.md, "Call list"). */
export interface Call {
  id: string;
  kind: string;
  reason: 'no_email' | 'not_delivered';
  createdAt: string;
  givenUpAt: string;
  person: { kind: 'household' | 'organisation' | 'user'; id: string; name: string; phone: string | null };
  bookingId: string | null;
  subject: string;
  text: string;
}
