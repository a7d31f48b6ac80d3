import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

const build = (d1: D1Database) => drizzle(d1, { schema });
export type Db = ReturnType<typeof build>;

// drizzle() re-derives the relational config of the whole schema on every call (a few %
// of a GET /auth/me's CPU in npm run bench -- --profile). The instance holds nothing per
// request, so one per D1 binding serves every request.
const instances = new WeakMap<D1Database, Db>();

export function createDb(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = build(d1);
    instances.set(d1, db);
  }
  return db;
}
