// npm run dev [-- --port 8790 …any wrangler dev flag]
// Applies the D1 migrations locally, then runs `wrangler dev` as development. PUBLIC_URL
// (links in mail, the tokens' issuer) follows the port: http://localhost:<port>, unless
// PUBLIC_URL is set in the shell, in .dev.vars or by a `--var PUBLIC_URL:…` flag. This is a
// launch-time choice only: the Worker never takes its public URL from a request's Host.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const args = process.argv.slice(2);

/** The value of `--name value` or `--name=value`, if given. */
function flag(argv, name) {
  const i = argv.findIndex((a) => a === name || a.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 1) : argv[i + 1];
}

function publicUrlIsSet(argv) {
  if (process.env.PUBLIC_URL) return true;
  if (argv.some((a, i) => (a === '--var' && argv[i + 1]?.startsWith('PUBLIC_URL:')) || a.startsWith('--var=PUBLIC_URL:'))) return true;
  const devVars = join(root, '.dev.vars');
  return existsSync(devVars) && /^\s*PUBLIC_URL\s*=/m.test(readFileSync(devVars, 'utf8'));
}

// The port wrangler dev will listen on: --port, else PORT, else wrangler's 8787.
const port = flag(args, '--port') ?? process.env.PORT ?? '8787';
const extra = ['--var', 'ENVIRONMENT:development'];
if (flag(args, '--port') === undefined) extra.push('--port', port);
if (!publicUrlIsSet(args)) extra.push('--var', `PUBLIC_URL:http://localhost:${port}`);

const persistTo = flag(args, '--persist-to');
const migrate = ['d1', 'migrations', 'apply', 'DB', '--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
const migrated = spawnSync(wrangler, migrate, { cwd: root, stdio: 'inherit' });
if (migrated.status !== 0) process.exit(migrated.status ?? 1);

const dev = spawn(wrangler, ['dev', ...extra, ...args], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
