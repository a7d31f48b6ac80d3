/**
 * npm run create-admin -- --email ada@example.com --password '…' [--remote] [--env production] [--persist-to dir]
 *
 * Creates a verified admin, or promotes (and restores) the account that has the email, in
 * the local D1 of `wrangler dev` (default) or the deployed one (--remote). Same email and
 * password rules as registration, and the password is hashed by the Worker's own code
 * (scrypt from src/password/hashing), so the Worker verifies it. The password can also come from
 * the GATEHOUSE_ADMIN_PASSWORD environment variable, which keeps it out of shell history.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../src/password/hashing/hash';
import { COMMON_PASSWORDS_ASSET, parseCommonPasswords } from '../src/password/hashing/common-passwords';
import { adminGrantSql, checkAdminInput, findUserSql, type ExistingUser } from './create-admin.sql';

const root = resolve(import.meta.dirname, '..');
const wranglerBin = join(root, 'node_modules', '.bin', 'wrangler');

function usage(message: string): never {
  console.error(`${message}\nusage: npm run create-admin -- --email <email> --password <password> [--remote] [--env <name>] [--persist-to <dir>]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    password: { type: 'string' },
    remote: { type: 'boolean', default: false },
    env: { type: 'string' },
    'persist-to': { type: 'string' },
  },
});

/** Where the statements run: the same flags for every wrangler call. */
const target = [
  values.remote ? '--remote' : '--local',
  ...(values.env ? ['--env', values.env] : []),
  ...(values['persist-to'] && !values.remote ? ['--persist-to', values['persist-to']] : []),
];

function wrangler(args: string[], capture = false): string {
  const result = spawnSync(wranglerBin, args, { cwd: root, encoding: 'utf8', stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
  if (result.status !== 0) {
    if (capture && result.stdout) console.error(result.stdout);
    console.error(`wrangler ${args.slice(0, 3).join(' ')} … failed`);
    process.exit(1);
  }
  return result.stdout ?? '';
}

async function main() {
  const password = values.password ?? process.env.GATEHOUSE_ADMIN_PASSWORD;
  if (!values.email || !password) usage('--email and --password are required.');
  // The Worker reads this list through its ASSETS binding; here it is the file itself.
  const common = parseCommonPasswords(readFileSync(join(root, 'public', COMMON_PASSWORDS_ASSET), 'utf8'));
  const { email, problems } = checkAdminInput({ email: values.email, password }, common);
  if (problems.length > 0) usage(problems.join('\n'));

  // A fresh local database has no tables yet; a deployed one is migrated by its deploy.
  if (!values.remote) wrangler(['d1', 'migrations', 'apply', 'DB', ...target]);
  const found = JSON.parse(wrangler(['d1', 'execute', 'DB', ...target, '--json', '--command', findUserSql(email)], true)) as { results: ExistingUser[] }[];
  const existing = found[0]?.results[0] ?? null;

  const statements = adminGrantSql({ email, passwordHash: await hashPassword(password), existing, newId: crypto.randomUUID(), eventId: crypto.randomUUID(), now: Date.now() });
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-admin-'));
  try {
    const file = join(dir, 'grant.sql');
    writeFileSync(file, statements.join('\n'), { mode: 0o600 });
    wrangler(['d1', 'execute', 'DB', ...target, '--yes', '--file', file], true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const where = values.remote ? 'the deployed database' : 'the local database';
  if (!existing) console.log(`Created admin ${email} in ${where}.`);
  else console.log(`Promoted ${email} (was ${existing.role}${existing.deleted_at ? ', deleted: restored' : ''}) to a verified admin with the new password in ${where}.`);
  if (existing) console.log('Sessions it already had stay open; end them from the console ("Sign out everywhere") if needed.');
}

await main();
