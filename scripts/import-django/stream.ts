/**
 * The records of a `dumpdata` file, one at a time (stream-json): a dump of any size is
 * never held in memory. Each call opens the file afresh (the import reads it in passes).
 */
import { createReadStream } from 'node:fs';
import chain from 'stream-chain';
import { parser } from 'stream-json';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import type { DumpRecord } from './fields';

export function dumpRecords(file: string): () => AsyncIterable<DumpRecord> {
  return async function* () {
    const pipeline = chain([createReadStream(file), parser(), streamArray()]);
    for await (const { value } of pipeline as AsyncIterable<{ value: unknown }>) {
      if (!isRecord(value)) throw new Error(`${file}: an element is not a dumpdata record ({model, pk, fields})`);
      yield value;
    }
  };
}

function isRecord(value: unknown): value is DumpRecord {
  if (!value || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return typeof record.model === 'string' && typeof record.fields === 'object' && record.fields !== null;
}
