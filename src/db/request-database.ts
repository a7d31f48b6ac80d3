import { createSessionDb, type Db } from './client';

/** A D1 bookmark (e.g. 00000085-0000024c-00004c6d-8e61117bf38d7adb71b934ebbf891683); anything else is ignored, never an error. */
const BOOKMARK_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/i;

/** Where a request's first read may go: the nearest replica, or the primary. */
export type ReadPolicy = 'replica' | 'primary';

/** The request's D1 session, opened on first use so a route can choose its policy before that. */
export class RequestDatabase {
  private session: D1DatabaseSession | null = null;
  private handle: Db | null = null;
  /** Set on routes whose answers must not differ with what they wrote (http/db-session.ts withholdsBookmark). */
  withheld = false;

  constructor(
    private readonly d1: D1Database,
    private readonly presented: string | null,
    public policy: ReadPolicy,
  ) {}

  /** The request's handle: reads by `policy`, writes to the primary, every query in the one session. */
  db(): Db {
    if (!this.handle) {
      // With the client's bookmark a replica read still sees the client's own writes; a read
      // that decides a write starts at the primary whatever the client has seen.
      const start = this.policy === 'replica' ? (this.presented ?? 'first-unconstrained') : 'first-primary';
      this.session = this.d1.withSession(start);
      this.handle = createSessionDb(this.session);
    }
    return this.handle;
  }

  /** The bookmark to hand back: where this request's session ended (null when it made no query). */
  bookmark(): string | null {
    return this.session?.getBookmark() ?? null;
  }
}

/** The bookmark a request presents, when it looks like one. */
export function presentedBookmark(header: string | undefined): string | null {
  const value = header?.trim();
  return value && BOOKMARK_SHAPE.test(value) ? value : null;
}
