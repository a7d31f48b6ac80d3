// node's test runner (the Worker's tests run in workerd and cannot spawn processes):
//   npm run test:import-cli
// Runs the real CLI on the checked-in Django dump with --dry-run and checks what it says,
// its exit code, and that it wrote nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const root = resolve(import.meta.dirname, '..', '..');
const dump = join(root, 'test/fixtures/django/dump.json');

function cli(args: string[]) {
  return spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/import-django/cli.ts', ...args], { cwd: root, encoding: 'utf8' });
}

test('--dry-run reports the plan and the collisions, exits 3, and writes nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
  try {
    const report = join(dir, 'report.json');
    const result = cli(['--file', dump, '--dry-run', '--phone-region', 'PK', '--persist-to', join(dir, 'd1'), '--report', report]);
    assert.equal(result.status, 3, result.stderr);
    assert.match(result.stdout, /^18 users in the dump; 13 would be imported\.$/m);
    assert.match(result.stdout, /username "alice": .*alice.*Alice|username "alice": .*Alice.*alice/);
    assert.match(result.stdout, /email "max@example\.com": /);
    assert.match(result.stdout, /phone_unreadable "12-34": badphone/);
    assert.match(result.stdout, /Dry run: nothing was written\./);
    assert.equal(existsSync(join(dir, 'd1')), false, 'a dry run touches no database');
    const saved = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(saved.usersImported, 13);
    assert.equal(saved.collisions.length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without --phone-region the national numbers cannot be read and are reported', () => {
  const result = cli(['--file', dump, '--dry-run']);
  assert.equal(result.status, 3);
  assert.match(result.stdout, /phone_unreadable "0300 1234567": noor/);
  assert.match(result.stdout, /phone_unreadable "\(0301\) 7654321": Zed/);
  assert.match(result.stdout, /^18 users in the dump; 11 would be imported\.$/m);
});

test('a missing file or flag is a usage error (exit 2)', () => {
  assert.equal(cli(['--dry-run']).status, 2);
  assert.equal(cli(['--file', '/nonexistent/dump.json', '--dry-run']).status, 2);
});
