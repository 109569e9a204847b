import { spawnSync } from 'node:child_process';
import { repoRoot } from '@buurtservice/db';

/** Runs a command in the repo root with inherited output; exits the process when it fails. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  console.log(`\n▶ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`✖ ${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

/** pnpm, as the one running this script (also when it was started through npx). */
export function pnpm(args: string[], env?: NodeJS.ProcessEnv): void {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath) && /\.(c?js|mjs)$/.test(execPath)) run(process.execPath, [execPath, ...args], env);
  else run('pnpm', args, env);
}
