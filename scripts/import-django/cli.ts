/**
 * npm run import-django -- --file dump.json [--remote] [--env production] [--dry-run]
 *                          [--phone-region PK] [--persist-to dir] [--report report.json]
 *
 * Imports `manage.py dumpdata` output of the replaced Django apps into the local D1 of
 * `wrangler dev` (default) or the deployed one (--remote): the core (core.ts) decides
 * what to write, chunks of at most 1,000 statements go through `wrangler d1 execute
 * --file`. --dry-run reads the dump and prints what would happen, writing nothing.
 * Exits 0 when everything was imported, 3 when some users were left out (see the report).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importDjangoDump, type ImportReport, type Statement } from './core';
import { renderStatement } from './sql';
import { dumpRecords } from './stream';

const root = resolve(import.meta.dirname, '..', '..');
const wranglerBin = join(root, 'node_modules', '.bin', 'wrangler');

function usage(message: string): never {
  console.error(`${message}\nusage: npm run import-django -- --file dump.json [--remote] [--env <name>] [--dry-run] [--phone-region PK] [--persist-to <dir>] [--report <file>]`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    remote: { type: 'boolean', default: false },
    env: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'phone-region': { type: 'string', default: process.env.DEFAULT_PHONE_REGION },
    'persist-to': { type: 'string' },
    report: { type: 'string' },
  },
});

const target = [
  values.remote ? '--remote' : '--local',
  ...(values.env ? ['--env', values.env] : []),
  ...(values['persist-to'] && !values.remote ? ['--persist-to', values['persist-to']] : []),
];

function wrangler(args: string[]): void {
  const result = spawnSync(wranglerBin, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`wrangler ${args.slice(0, 3).join(' ')} … failed`);
  }
}

function printReport(report: ImportReport, dryRun: boolean): void {
  console.log(`${report.usersInDump} users in the dump; ${report.usersImported} ${dryRun ? 'would be imported' : 'imported'}.`);
  console.log(`Rows ${dryRun ? 'to write' : 'written'} (or found already there): ${Object.entries(report.written).map(([t, n]) => `${t} ${n}`).join(', ')}; ${report.statements} statements.`);
  if (Object.keys(report.ignoredModels).length > 0) console.log(`Models not read: ${Object.entries(report.ignoredModels).map(([m, n]) => `${m} (${n})`).join(', ')}`);
  if (report.collisions.length > 0) {
    console.log(`\n${report.collisions.length} collision(s): these users are NOT imported (nothing of theirs is written):`);
    for (const c of report.collisions) {
      console.log(`- ${c.kind} "${c.key}": ${c.users.map((u) => `${u.username ?? u.email ?? '?'} (id ${u.id})`).join(', ')}\n  fix: ${c.fix}`);
    }
  }
  if (report.skipped.length > 0) {
    console.log(`\n${report.skipped.length} record(s) skipped:`);
    for (const s of report.skipped.slice(0, 50)) console.log(`- ${s.model} ${s.pk}: ${s.reason}`);
    if (report.skipped.length > 50) console.log(`  … and ${report.skipped.length - 50} more (--report <file> writes them all)`);
  }
}

async function main() {
  if (!values.file) usage('--file is required.');
  const file = resolve(values.file);
  if (!existsSync(file)) usage(`${file} does not exist.`);
  const dryRun = values['dry-run'];
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-import-'));
  let chunkNumber = 0;
  const apply = async (chunk: Statement[]) => {
    chunkNumber++;
    if (dryRun) return;
    const sqlFile = join(dir, `chunk-${chunkNumber}.sql`);
    writeFileSync(sqlFile, chunk.map(renderStatement).join('\n'), { mode: 0o600 });
    wrangler(['d1', 'execute', 'DB', ...target, '--yes', '--file', sqlFile]);
    rmSync(sqlFile);
    process.stderr.write(`\rchunk ${chunkNumber} written`);
  };
  try {
    // A fresh local database has no tables yet; a deployed one is migrated by its deploy.
    if (!dryRun && !values.remote) wrangler(['d1', 'migrations', 'apply', 'DB', ...target]);
    const report = await importDjangoDump(dumpRecords(file), { phoneRegion: values['phone-region'], audit: { eventId: crypto.randomUUID(), now: Date.now() } }, apply);
    if (!dryRun) process.stderr.write('\n');
    printReport(report, dryRun);
    if (values.report) writeFileSync(values.report, `${JSON.stringify(report, null, 1)}\n`);
    const where = dryRun ? 'Dry run: nothing was written' : `Written to ${values.remote ? 'the deployed database' : 'the local database'} in ${chunkNumber} chunk(s)`;
    console.log(`\n${where}.`);
    process.exitCode = report.collisions.length > 0 ? 3 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
