export * from './address.js';
export * from './dates.js';
export * from './errors.js';
export * from './pricing.js';
export * from './roles.js';
export * from './settings.js';
export * from './booking-lifecycle.js';
export * from './recurrence.js';
export * as planning from './planning/index.js';
