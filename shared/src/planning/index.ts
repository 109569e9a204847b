export * from './types.js';
export * from './time.js';
export * from './score.js';
export * from './suggest.js';
export * from './autoplan.js';
