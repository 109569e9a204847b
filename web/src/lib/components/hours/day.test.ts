import { describe, expect, it } from 'vitest';
import { daySections, jobView, mainAction } from './day';
import type { QueuedItem } from './queue';
import type { WorkerJob } from './types';

const TODAY = '2027-03-02';
const WORKER = '99999999-8888-4777-8666-555555555555';

function job(id: string, startsAt: string, extra: Partial<WorkerJob> = {}): WorkerJob {
  return {
    bookingId: id, state: 'scheduled', service: { code: 'tuindienst', name: { nl: 'Tuindienst', en: 'Garden' } },
    startsAt, endsAt: new Date(Date.parse(startsAt) + 2 * 3_600_000).toISOString(), customerName: 'Fam. Jansen', contactPhone: null,
    address: null, mapUrl: null, notes: '', team: [], leads: false, checkIn: null, entries: [], canLog: true, ...extra,
  };
}

const A = 'aaaaaaaa-0000-4000-8000-000000000001';
const CHECK_IN = 'cccccccc-0000-4000-8000-000000000001';
const ENTRY = 'eeeeeeee-0000-4000-8000-000000000001';

const storedEntry = {
  id: ENTRY, bookingId: A, workerId: WORKER, startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:07:00Z', breakMinutes: 0,
  rawMinutes: 67, billableMinutes: 75, overCapMinutes: 0, source: 'check_in_out' as const, recordedBy: null, createdAt: '2027-03-02T10:07:00Z',
};

describe('a job with what waits on the phone', () => {
  it('shows a check-in made offline as checked in, waiting', () => {
    const pending: QueuedItem[] = [{ kind: 'check_in', id: CHECK_IN, bookingId: A, startedAt: '2027-03-02T09:00:00Z' }];
    const view = jobView(job(A, '2027-03-02T09:00:00Z'), pending);
    expect(view.checkIn).toEqual({ id: CHECK_IN, startedAt: '2027-03-02T09:00:00Z', waiting: true });
    expect(view.waiting).toBe(true);
    expect(mainAction(view, TODAY)).toBe('check_out');
  });

  it('shows a check-out made offline: no longer checked in, the entry waits with its minutes worked', () => {
    const server = job(A, '2027-03-02T09:00:00Z', { state: 'in_progress', checkIn: { id: CHECK_IN, bookingId: A, workerId: WORKER, startedAt: '2027-03-02T09:00:00Z', closedAt: null } });
    const pending: QueuedItem[] = [{ kind: 'time_entry', id: ENTRY, bookingId: A, startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:07:00Z', breakMinutes: 15, source: 'check_in_out', checkInId: CHECK_IN }];
    const view = jobView(server, pending);
    expect(view.checkIn).toBeNull();
    expect(view.entries).toEqual([{ id: ENTRY, startsAt: '2027-03-02T09:00:00Z', endsAt: '2027-03-02T10:07:00Z', breakMinutes: 15, minutes: 52, waiting: true }]);
    expect(mainAction(view, TODAY)).toBe('check_in');
  });

  it('shows a stored entry once, with the minutes the customer pays, even while its copy still waits', () => {
    const server = job(A, '2027-03-02T09:00:00Z', { entries: [storedEntry] });
    const pending: QueuedItem[] = [{ kind: 'time_entry', id: ENTRY, bookingId: A, startsAt: storedEntry.startsAt, endsAt: storedEntry.endsAt, breakMinutes: 0, source: 'check_in_out' }];
    expect(jobView(server, pending).entries).toEqual([{ id: ENTRY, startsAt: storedEntry.startsAt, endsAt: storedEntry.endsAt, breakMinutes: 0, minutes: 75, waiting: false }]);
  });

  it("ignores another job's waiting items", () => {
    const pending: QueuedItem[] = [{ kind: 'check_in', id: CHECK_IN, bookingId: 'bbbbbbbb-0000-4000-8000-000000000002', startedAt: '2027-03-02T09:00:00Z' }];
    const view = jobView(job(A, '2027-03-02T09:00:00Z'), pending);
    expect(view.checkIn).toBeNull();
    expect(view.waiting).toBe(false);
  });

  it('offers no check-in on a job whose hours are closed, of an earlier day, or of a later day', () => {
    const noon = new Date('2027-03-02T11:00:00Z');
    expect(mainAction(jobView(job(A, '2027-03-02T09:00:00Z', { canLog: false }), []), TODAY, noon)).toBeNull();
    expect(mainAction(jobView(job(A, '2027-03-01T09:00:00Z'), []), TODAY, noon)).toBeNull();
    expect(mainAction(jobView(job(A, '2027-03-03T09:00:00Z'), []), TODAY, noon)).toBeNull();
  });

  it('offers a check-in shortly before a job that starts after midnight', () => {
    const lateEvening = new Date('2027-03-02T22:00:00Z'); // 23:00 in Amsterdam
    expect(mainAction(jobView(job(A, '2027-03-02T23:30:00Z'), []), TODAY, lateEvening)).toBe('check_in'); // 00:30 on 3 March
    expect(mainAction(jobView(job(A, '2027-03-03T06:00:00Z'), []), TODAY, lateEvening)).toBeNull();
  });
});

describe('the sections of the day', () => {
  it('today, the coming days by day, and earlier jobs only while they still need hours', () => {
    const views = [
      job('aaaaaaaa-0000-4000-8000-000000000003', '2027-03-04T13:00:00Z'),
      job('aaaaaaaa-0000-4000-8000-000000000002', '2027-03-02T13:00:00Z'),
      job(A, '2027-03-02T08:00:00Z'),
      job('aaaaaaaa-0000-4000-8000-000000000004', '2027-03-04T08:00:00Z'),
      job('aaaaaaaa-0000-4000-8000-000000000005', '2027-03-01T08:00:00Z'),
      job('aaaaaaaa-0000-4000-8000-000000000006', '2027-03-01T12:00:00Z', { entries: [{ ...storedEntry, bookingId: 'aaaaaaaa-0000-4000-8000-000000000006' }] }),
      job('aaaaaaaa-0000-4000-8000-000000000007', '2027-02-28T12:00:00Z', { canLog: false }),
    ].map((j) => jobView(j, []));
    const sections = daySections(views, TODAY);
    expect(sections.open.map((v) => v.job.bookingId.slice(-1))).toEqual(['5']);
    expect(sections.today.map((v) => v.job.bookingId.slice(-1))).toEqual(['1', '2']);
    expect(sections.coming.map((d) => [d.day, d.jobs.map((v) => v.job.bookingId.slice(-1))])).toEqual([['2027-03-04', ['4', '3']]]);
  });

  it('takes the day in Amsterdam: 23:30 UTC on 1 March is already 2 March', () => {
    const sections = daySections([jobView(job(A, '2027-03-01T23:30:00Z'), [])], TODAY);
    expect(sections.today).toHaveLength(1);
  });
});
