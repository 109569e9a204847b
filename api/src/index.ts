export { buildApp, REDACT_PATHS, type App, type BuildOptions } from './app.js';
export { loadConfig, type ApiConfig } from './config.js';
export { hashPassword } from './services/passwords.js';
export { startJobs, JOBS } from './jobs/runner.js';
export * as walletJobs from './jobs/wallet-jobs.js';
export * as notificationJobs from './jobs/notification-jobs.js';
export * as hoursJobs from './jobs/hours-jobs.js';
export { createMailer, jsonMailer, logMailer, smtpMailer, type Mailer, type OutgoingMail } from './services/mailer.js';
export { reconcilePendingPayments } from './services/stripe.js';
