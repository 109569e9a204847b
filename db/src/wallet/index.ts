export * from './ledger.js';
export * from './operations.js';
export * from './views.js';
