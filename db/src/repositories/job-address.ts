import { sql } from 'kysely';

/**
 * Where a job takes place, as columns of a select over `bookings b` left-joined to its household
 * `h` and organisation location `l`: the home's address for a job at home, the location's for a job
 * at an organisation's location, nulls at the service point. One definition for the booking views,
 * the messages and the worker's day.
 */
export const JOB_ADDRESS_COLUMNS = sql`
  case b.place when 'home' then h.street when 'organisation_location' then l.street end as street,
  case b.place when 'home' then h.house_number when 'organisation_location' then l.house_number end as house_number,
  case b.place when 'home' then h.house_number_suffix when 'organisation_location' then l.house_number_suffix end as house_number_suffix,
  case b.place when 'home' then h.postcode when 'organisation_location' then l.postcode end as postcode,
  case b.place when 'home' then h.city when 'organisation_location' then l.city end as city`;
