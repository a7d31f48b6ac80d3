/** Statements the import writes: parameterized, within D1's limits, and renderable as SQL text. */

export type SqlValue = string | number | null;
export interface Statement {
  sql: string;
  params: SqlValue[];
}

/** D1: at most 100 bound parameters per statement. */
export const MAX_PARAMS = 100;
/** D1: at most 1,000 statements per batch or `--file` call. */
export const MAX_STATEMENTS = 1000;

export const bit = (value: boolean) => (value ? 1 : 0);

/**
 * Packs rows of one table into multi-row INSERTs of at most MAX_PARAMS parameters each.
 * `conflict` is the upsert clause (`ON CONFLICT(id) DO UPDATE SET …` or `… DO NOTHING`).
 */
export class RowPacker {
  private rows: SqlValue[][] = [];
  private readonly perStatement: number;

  constructor(
    private readonly table: string,
    private readonly columns: readonly string[],
    private readonly conflict: string,
    private readonly emit: (statement: Statement) => void,
    /** Rows are written only where this holds (columns are named column1, column2, … in order). */
    private readonly where?: string,
    /** Packers whose rows these refer to: flushed first, so a statement never precedes its parents. */
    private readonly parents: readonly RowPacker[] = [],
  ) {
    this.perStatement = Math.floor(MAX_PARAMS / columns.length);
    if (this.perStatement < 1) throw new RangeError(`${table}: more than ${MAX_PARAMS} columns`);
  }

  add(row: Record<string, SqlValue>): void {
    this.rows.push(this.columns.map((column) => row[column] ?? null));
    if (this.rows.length === this.perStatement) this.flush();
  }

  flush(): void {
    if (this.rows.length === 0) return;
    for (const parent of this.parents) parent.flush();
    const tuple = `(${this.columns.map(() => '?').join(', ')})`;
    const values = `VALUES ${this.rows.map(() => tuple).join(', ')}`;
    // INSERT … SELECT needs its WHERE for SQLite to read ON CONFLICT as the upsert clause.
    const source = this.where ? `SELECT * FROM (${values}) WHERE ${this.where}` : values;
    this.emit({ sql: `INSERT INTO ${this.table} (${this.columns.join(', ')}) ${source} ${this.conflict}`, params: this.rows.flat() });
    this.rows = [];
  }
}

/** `SET a = excluded.a, …` for an upsert. */
export const setExcluded = (columns: readonly string[]) => columns.map((c) => `${c} = excluded.${c}`).join(', ');

/** The statement as one line of SQL text with its values inlined (for `wrangler d1 execute --file`). */
export function renderStatement(statement: Statement): string {
  let next = 0;
  const sql = statement.sql.replace(/\?/g, () => literal(statement.params[next++] ?? null));
  if (next !== statement.params.length) throw new Error('parameter count mismatch');
  return `${sql};`;
}

function literal(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError('not a finite number');
    return String(value);
  }
  return `'${value.replace(/'/g, "''")}'`;
}
