export * from './ledger.js';
export * from './operations.js';
