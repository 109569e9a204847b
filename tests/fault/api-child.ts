// A real API process for fault tests: forked with an IPC channel, it serves the API on a free port
// of 127.0.0.1 against FAULT_DB_URL (as the API's restricted role) and sends { port } when ready.
// The test kills it with SIGKILL at the moment it wants: no clean shutdown, as in a crash.
import { createApiDatabase } from '@buurtservice/db';
import { buildApp, loadConfig } from '@buurtservice/api';

const db = await createApiDatabase(process.env.FAULT_DB_URL ?? '', 4);
const config = { ...loadConfig({ JWT_SECRET: process.env.FAULT_JWT_SECRET, LOG_LEVEL: 'silent', STRIPE_API_URL: process.env.STRIPE_API_URL }) };
const app = await buildApp({ db, config });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
process.on('disconnect', () => process.exit(0));
