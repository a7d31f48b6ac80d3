/**
 * The pure half of `npm run import-django`: reads dump records (from any async source),
 * decides what can be imported, and hands bounded chunks of statements to `apply`. No
 * Node or Workers APIs here, so the Worker's tests run it against the test D1 and the CLI
 * (cli.ts) runs it against `wrangler d1 execute`.
 *
 * The source is read in passes, so a dump of any size needs memory only for the users'
 * keys (collision check) and ids, never for the users themselves:
 *   1. scan: every user's keys → collisions; the ids of users and badges in the dump
 *   2. users, with the profile and settings rows every account starts with
 *   3. profiles, settings, professional profiles, password history, badge definitions
 *   4. blocks, badge awards, settings' profile_visibility
 *   5. follows (after blocks: a follow across a block is not written)
 *   6. counts recomputed from the rows (followers, following, badges, points)
 * Every write is an upsert or insert-if-absent, so a second run changes nothing.
 */
import { CollisionScanner, type Collision } from './collisions';
import { id, type DumpRecord } from './fields';
import * as m from './models';
import { AUDIT_EVENTS } from '../../src/audit/event-types';
import { MAX_STATEMENTS, RowPacker, setExcluded, type Statement } from './sql';
import { mapUser, type ImportedUser } from './users';

export type { Collision } from './collisions';
export type { DumpRecord } from './fields';
export type { Statement } from './sql';

export interface ImportOptions {
  /** DEFAULT_PHONE_REGION: national numbers are read in this country (ISO 3166, e.g. PK). */
  phoneRegion?: string;
  /** Statements per call of `apply` (D1's limit is 1,000). */
  chunkSize?: number;
  /** The run's audit event (id and time come from the caller: the core stays pure). */
  audit: { eventId: string; now: number };
}

export interface Skipped {
  model: string;
  pk: string;
  reason: string;
}

export interface ImportReport {
  usersInDump: number;
  usersImported: number;
  /** Records written (or found already there), by our table. */
  written: Record<string, number>;
  collisions: Collision[];
  skipped: Skipped[];
  /** Models of the dump the import does not read (auth.group, sessions, …), with counts. */
  ignoredModels: Record<string, number>;
  statements: number;
}

export type RecordSource = () => AsyncIterable<DumpRecord>;
export type Apply = (chunk: Statement[]) => Promise<void>;

const USER_COLUMNS = [
  'id', 'email', 'username', 'username_key', 'phone_number', 'first_name', 'last_name', 'password_hash', 'role',
  'is_active', 'email_verified', 'mfa_enabled', 'date_joined', 'last_login', 'updated_at',
] as const;

/**
 * Re-runs restore what the dump says, except a hash already upgraded on login (scrypt)
 * and a later last login: those are the service's, not Django's.
 */
const USER_UPSERT = `ON CONFLICT(id) DO UPDATE SET ${setExcluded(USER_COLUMNS.filter((c) => !['id', 'password_hash', 'last_login', 'updated_at', 'mfa_enabled'].includes(c)))},
  password_hash = CASE WHEN users.password_hash LIKE 'scrypt$%' THEN users.password_hash ELSE excluded.password_hash END,
  last_login = CASE WHEN users.last_login IS NULL OR excluded.last_login > users.last_login THEN excluded.last_login ELSE users.last_login END`;

/** A platform role's account type wins over the profile's own field, and the first non-normal one stays. */
const KEEP_ACCOUNT_TYPE = `account_type = CASE WHEN profiles.account_type = 'normal' THEN excluded.account_type ELSE profiles.account_type END`;

export async function importDjangoDump(source: RecordSource, options: ImportOptions, apply: Apply): Promise<ImportReport> {
  const report: ImportReport = { usersInDump: 0, usersImported: 0, written: {}, collisions: [], skipped: [], ignoredModels: {}, statements: 0 };
  const writer = new ChunkWriter(apply, options.chunkSize ?? MAX_STATEMENTS, report);

  // 1. scan
  const scanner = new CollisionScanner();
  const badgeIds = new Set<string>();
  for await (const record of source()) {
    const kind = m.kindOf(record);
    if (kind === 'user') {
      const user = mapUser(record, options.phoneRegion);
      if (user) scanner.add(user);
      else skip(report, record, 'no usable primary key');
    } else if (kind === 'badge') {
      const badgeId = id(record.pk);
      if (badgeId) badgeIds.add(badgeId);
    } else if (kind === null) {
      report.ignoredModels[record.model] = (report.ignoredModels[record.model] ?? 0) + 1;
    }
  }
  const { collisions, excluded } = scanner.result();
  report.collisions = collisions;
  report.usersInDump = scanner.size;
  /** Why a record about these users is not written, or null when it may be. */
  const blocker = (...userIds: (string | null)[]): string | null => {
    for (const userId of userIds) {
      if (!userId) return 'names no user';
      if (excluded.has(userId)) return `user ${userId} is not imported (see collisions)`;
      if (!scanner.has(userId)) return `user ${userId} is not in the dump`;
    }
    return null;
  };

  // 2. users
  const users = writer.packer('users', USER_COLUMNS, USER_UPSERT);
  // A packer fills at its own pace: these flush the users packer before each statement of theirs.
  const startProfiles = writer.packer('profiles', ['user_id', 'account_type', 'updated_at'], `ON CONFLICT(user_id) DO UPDATE SET ${KEEP_ACCOUNT_TYPE}`, false, undefined, [users]);
  const startSettings = writer.packer('user_settings', ['user_id', 'updated_at'], 'ON CONFLICT DO NOTHING', false, undefined, [users]);
  for await (const record of source()) {
    await writer.ready();
    if (m.kindOf(record) !== 'user') continue;
    const user = mapUser(record, options.phoneRegion);
    if (user) scanner.describe(user);
    if (!user || excluded.has(user.id)) continue;
    report.usersImported++;
    users.add(userRow(user));
    startProfiles.add({ user_id: user.id, account_type: user.accountType, updated_at: user.date_joined });
    startSettings.add({ user_id: user.id, updated_at: user.date_joined });
  }
  await writer.flush();

  // 3. what belongs to one user, and badge definitions
  const social = writer.packer('profiles', m.SOCIAL_PROFILE_COLUMNS, `ON CONFLICT(user_id) DO UPDATE SET ${setExcluded(m.SOCIAL_PROFILE_COLUMNS.filter((c) => c !== 'user_id' && c !== 'account_type'))}, ${KEEP_ACCOUNT_TYPE}`);
  const basic = writer.packer('profiles', m.BASIC_PROFILE_COLUMNS, `ON CONFLICT(user_id) DO UPDATE SET ${setExcluded(m.BASIC_PROFILE_COLUMNS.slice(1))}`);
  const settings = writer.packer('user_settings', m.SETTINGS_COLUMNS, `ON CONFLICT(user_id) DO UPDATE SET ${setExcluded(m.SETTINGS_COLUMNS.slice(1))}`);
  const professional = writer.packer('professional_profiles', m.PROFESSIONAL_COLUMNS, `ON CONFLICT(user_id) DO UPDATE SET ${setExcluded(m.PROFESSIONAL_COLUMNS.slice(1))}`);
  const badges = writer.packer('badges', m.BADGE_COLUMNS, `ON CONFLICT(id) DO UPDATE SET ${setExcluded(m.BADGE_COLUMNS.slice(1))}`);
  for await (const record of source()) {
    await writer.ready();
    const kind = m.kindOf(record);
    if (kind === 'badge') {
      const row = m.badgeRow(record);
      if (row) badges.add(row);
      else skip(report, record, 'a badge needs an id and a name or slug');
      continue;
    }
    if (kind !== 'profile' && kind !== 'settings' && kind !== 'professional' && kind !== 'password_history') continue;
    const owner = m.ownerOf(record);
    const why = blocker(owner);
    if (why) {
      skip(report, record, why);
      continue;
    }
    const f = record.fields;
    if (kind === 'profile') (m.isSocialProfile(f) ? social : basic).add(m.isSocialProfile(f) ? m.socialProfileRow(owner!, f) : m.basicProfileRow(owner!, f));
    else if (kind === 'settings') settings.add(m.settingsRow(owner!, f));
    else if (kind === 'professional') professional.add(m.professionalRow(owner!, f));
    else {
      const row = m.passwordHistoryRow(owner!, f);
      if (row) writer.statement('password_history', insertPasswordHistory(row));
      else skip(report, record, 'no password hash');
    }
  }
  await writer.flush();

  // 4. blocks, awards, profile visibility from settings
  const blocks = writer.packer('blocks', m.BLOCK_COLUMNS, 'ON CONFLICT DO NOTHING');
  const awards = writer.packer('user_badges', m.AWARD_COLUMNS, 'ON CONFLICT DO NOTHING');
  for await (const record of source()) {
    await writer.ready();
    const kind = m.kindOf(record);
    if (kind === 'block') {
      const row = m.blockRow(record);
      const why = row ? blocker(row.blocker_id as string, row.blocked_id as string) ?? (row.blocker_id === row.blocked_id ? 'blocks itself' : null) : 'names no user';
      if (why) skip(report, record, why);
      else blocks.add(row!);
    } else if (kind === 'award') {
      const row = m.awardRow(record);
      const why = row ? blocker(row.user_id as string) ?? (badgeIds.has(row.badge_id as string) ? null : `badge ${row.badge_id} is not in the dump`) : 'names no user or badge';
      if (why) skip(report, record, why);
      else awards.add(row!);
    } else if (kind === 'settings') {
      const owner = m.ownerOf(record);
      const visibility = m.settingsVisibility(record.fields);
      if (visibility && !blocker(owner)) writer.statement(null, { sql: 'UPDATE profiles SET profile_visibility = ? WHERE user_id = ?', params: [visibility, owner] });
    }
  }
  await writer.flush();

  // 5. follows, never across a block (the trigger of migration 0007 would abort the chunk)
  const follows = writer.packer('follows', m.FOLLOW_COLUMNS, 'ON CONFLICT DO NOTHING', true, FOLLOW_NOT_ACROSS_A_BLOCK);
  for await (const record of source()) {
    await writer.ready();
    if (m.kindOf(record) !== 'follow') continue;
    const row = m.followRow(record);
    const why = row ? blocker(row.follower_id as string, row.followed_id as string) ?? (row.follower_id === row.followed_id ? 'follows itself' : null) : 'names no user, or its status is neither accepted nor pending';
    if (why) skip(report, record, why);
    else follows.add(row!);
  }
  await writer.flush();

  // 6. counts
  let batch: string[] = [];
  const recount = () => {
    if (batch.length > 0) writer.statement(null, { sql: RECOUNT(batch.length), params: batch });
    batch = [];
  };
  for await (const record of source()) {
    await writer.ready();
    const userId = m.kindOf(record) === 'user' ? id(record.pk) : null;
    if (!userId || excluded.has(userId)) continue;
    batch.push(userId);
    if (batch.length === 100) recount();
  }
  recount();
  writer.statement(null, auditStatement(report, options.audit));
  await writer.flush();
  return report;
}

function userRow(user: ImportedUser) {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    username_key: user.username_key,
    phone_number: user.phone_number,
    first_name: user.first_name,
    last_name: user.last_name,
    password_hash: user.password_hash,
    role: user.role,
    is_active: user.is_active ? 1 : 0,
    email_verified: user.email_verified ? 1 : 0,
    mfa_enabled: 0,
    date_joined: user.date_joined,
    last_login: user.last_login,
    // Deterministic, so a re-run writes the same row.
    updated_at: user.last_login ?? user.date_joined,
  };
}

/** Password history has no natural key: a row is added when the same (user, hash, time) is absent. */
function insertPasswordHistory(row: m.Row): Statement {
  const values = [row.user_id!, row.password_hash!, row.created_at!];
  return {
    sql: 'INSERT INTO password_history (user_id, password_hash, created_at) SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM password_history WHERE user_id = ? AND password_hash = ? AND created_at = ?)',
    params: [...values, ...values],
  };
}

// column2 = follower_id, column3 = followed_id of the VALUES rows.
const FOLLOW_NOT_ACROSS_A_BLOCK =
  'NOT EXISTS (SELECT 1 FROM blocks WHERE (blocker_id = column2 AND blocked_id = column3) OR (blocker_id = column3 AND blocked_id = column2))';

const RECOUNT = (n: number) => `UPDATE profiles SET
  follower_count = (SELECT count(*) FROM follows WHERE followed_id = profiles.user_id AND status = 'accepted'),
  following_count = (SELECT count(*) FROM follows WHERE follower_id = profiles.user_id AND status = 'accepted'),
  total_badges = (SELECT count(*) FROM user_badges WHERE user_id = profiles.user_id),
  badge_points = (SELECT coalesce(sum(badges.points), 0) FROM user_badges JOIN badges ON badges.id = user_badges.badge_id WHERE user_badges.user_id = profiles.user_id)
  WHERE user_id IN (${Array(n).fill('?').join(', ')})`;

/** The run itself is audited (like create-admin); the rows it wrote are not, one by one. */
function auditStatement(report: ImportReport, audit: ImportOptions['audit']): Statement {
  const metadata = {
    source: 'django',
    users_in_dump: report.usersInDump,
    users_imported: report.usersImported,
    collisions: report.collisions.length,
    skipped: report.skipped.length,
  };
  return {
    sql: "INSERT INTO audit_events (id, type, severity, user_id, actor_id, ip, user_agent, metadata, created_at) VALUES (?, 'users_imported_cli', ?, NULL, NULL, NULL, 'npm run import-django', ?, ?)",
    params: [audit.eventId, AUDIT_EVENTS.users_imported_cli, JSON.stringify(metadata), audit.now],
  };
}

function skip(report: ImportReport, record: DumpRecord, reason: string): void {
  report.skipped.push({ model: record.model, pk: String(record.pk), reason });
}

interface Packer {
  packer: RowPacker;
  add(row: m.Row): void;
}

/** Collects statements and hands them to `apply` in chunks of at most `size`. */
class ChunkWriter {
  private pending: Statement[] = [];
  private readonly packers: RowPacker[] = [];
  private applying: Promise<void> = Promise.resolve();
  private inFlight = 0;

  constructor(
    private readonly apply: Apply,
    private readonly size: number,
    private readonly report: ImportReport,
  ) {}

  /** A packer of rows for `table`; `counted` rows add to report.written. */
  packer(table: string, columns: readonly string[], conflict: string, counted = true, where?: string, parents: Packer[] = []): Packer {
    const packer = new RowPacker(table, columns, conflict, (statement) => this.push(statement), where, parents.map((p) => p.packer));
    this.packers.push(packer);
    return {
      packer,
      add: (row) => {
        if (counted) this.report.written[table] = (this.report.written[table] ?? 0) + 1;
        packer.add(row);
      },
    };
  }

  statement(table: string | null, statement: Statement): void {
    if (table) this.report.written[table] = (this.report.written[table] ?? 0) + 1;
    this.push(statement);
  }

  private push(statement: Statement): void {
    this.pending.push(statement);
    this.report.statements++;
    if (this.pending.length >= this.size) this.send();
  }

  private send(): void {
    const chunk = this.pending;
    this.pending = [];
    // One chunk at a time, in order: a later tier's rows refer to an earlier one's.
    this.inFlight++;
    const applying = this.applying.then(() => this.apply(chunk)).finally(() => this.inFlight--);
    applying.catch(() => {}); // surfaced by ready() or flush(), not as an unhandled rejection
    this.applying = applying;
  }

  /** Back-pressure: the reading waits while a chunk is being written, so chunks do not pile up in memory. */
  async ready(): Promise<void> {
    if (this.inFlight > 0) await this.applying;
  }

  /** Writes everything packed so far; the next pass starts after it. */
  async flush(): Promise<void> {
    for (const packer of this.packers.splice(0)) packer.flush();
    if (this.pending.length > 0) this.send();
    await this.applying;
  }
}
