// `pnpm test`: every test, with nothing installed beforehand but Node.js and npm.
// Unit and integration suites run on an embedded PostgreSQL unless TEST_DATABASE_URL names a server;
// the browser suite runs in Debian's chromium (installed here when missing) against the built app.
import { pnpm, run } from './run.js';

run(process.execPath, ['--import', 'tsx', 'scripts/ensure-chromium.ts']);
// The web's unit tests read the tsconfig that SvelteKit generates.
pnpm(['--filter', '@buurtservice/web', 'exec', 'svelte-kit', 'sync']);
pnpm(['exec', 'vitest', 'run']);
pnpm(['--filter', '@buurtservice/web', 'build']);
pnpm(['--filter', '@buurtservice/tests', 'browser']);
console.log('\n✔ all test suites passed');
