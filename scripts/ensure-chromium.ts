// Makes sure a chromium for the browser tests is installed: Debian's package, never a Playwright
// download. Prints the browser's path and exits 0, or exits 1 with how to install it.
//   CHROMIUM_PATH=/path/to/chromium   use that browser instead of /usr/bin/chromium
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

const DEFAULT_PATH = '/usr/bin/chromium';
const chromiumPath = process.env.CHROMIUM_PATH || DEFAULT_PATH;

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command with its output shown; true when it succeeded. */
function attempt(command: string, args: string[]): boolean {
  console.log(`▶ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.error) console.log(`  (${result.error.message})`);
  return result.status === 0;
}

/** apt-get as root, or through sudo without a password prompt when we are not root. */
function aptGet(args: string[]): boolean {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return isRoot ? attempt('apt-get', args) : attempt('sudo', ['-n', 'apt-get', ...args]);
}

function done(): never {
  console.log(`chromium: ${chromiumPath}`);
  process.exit(0);
}

if (isExecutable(chromiumPath)) done();

if (process.env.CHROMIUM_PATH) {
  // Someone pointed us at a specific browser: installing Debian's would not make that path appear.
  console.error(`CHROMIUM_PATH is set to ${chromiumPath}, but no executable is there. Fix the path or unset CHROMIUM_PATH.`);
  process.exit(1);
}

if (process.platform === 'linux') {
  console.log(`No chromium at ${chromiumPath}: installing Debian's chromium package.`);
  const install = ['install', '-y', '--no-install-recommends', 'chromium'];
  // A fresh machine often has no package lists yet: update and try once more.
  if ((aptGet(install) || (aptGet(['update']) && aptGet(install))) && isExecutable(chromiumPath)) done();
}

console.error(`
The browser tests need chromium at ${chromiumPath}, and it could not be installed automatically.
Install it yourself, then run the tests again:
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium
  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH=/path/to/the/browser
(The tests use this browser directly; they never download one with \`playwright install\`.)`);
process.exit(1);
