// Child-process entry of one bench server (forked by run.ts with an IPC channel).
//   argv[2]: bare | api | insert;  env BENCH_DB_URL, BENCH_JWT_SECRET
// Talks to its parent over IPC: sends { type: 'ready', port } or { type: 'error', message };
// answers { cmd: 'stats' } with { type: 'stats', rss, cpuMicros } (resident memory in bytes, CPU time
// used so far, user + system); { cmd: 'stop' } closes it. It also closes when
// the parent goes away (the IPC channel disconnects), so it never outlives a crashed run.
import { SERVER_KINDS, startServer, type RunningServer, type ServerKind } from './servers.js';

type Command = { cmd: 'stats' } | { cmd: 'stop' };

function send(message: unknown): void {
  if (process.connected) process.send?.(message);
}

const kind = process.argv[2] as ServerKind;
if (!SERVER_KINDS.includes(kind)) throw new Error(`unknown server kind: ${String(kind)}`);
if (!process.send) throw new Error('server-process.ts must be forked with an IPC channel');

let server: RunningServer | null = null;
let closing = false;
async function shutdown(code: number): Promise<void> {
  if (closing) return;
  closing = true;
  const timer = setTimeout(() => process.exit(code || 1), 5000);
  try {
    await server?.close();
  } finally {
    clearTimeout(timer);
    process.disconnect?.();
    process.exit(code);
  }
}

process.on('message', (message: Command) => {
  if (message.cmd === 'stats') {
    const cpu = process.cpuUsage();
    send({ type: 'stats', rss: process.memoryUsage.rss(), cpuMicros: cpu.user + cpu.system });
  }
  else if (message.cmd === 'stop') void shutdown(0);
});
process.on('disconnect', () => void shutdown(0));

try {
  server = await startServer(kind, {
    databaseUrl: process.env.BENCH_DB_URL ?? '',
    jwtSecret: process.env.BENCH_JWT_SECRET ?? '',
  });
  send({ type: 'ready', port: server.port });
} catch (err) {
  send({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) });
  await shutdown(1);
}
