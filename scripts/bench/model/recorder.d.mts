export type CallKind = 'd1-primary' | 'd1-replica' | 'do' | 'do-limiter' | 'kv-read' | 'kv-read-cached' | 'kv-write' | 'queue';
export type Distances = Record<string, Partial<Record<CallKind, number>>>;
export interface Recorder {
  calls: { kind: CallKind; wave: number; afterResponse: boolean; done: boolean; doneBeforeResponse?: boolean }[];
  responded: boolean;
  delays: Partial<Record<CallKind, number>> | null;
}
export interface HopSummary {
  sequentialHops: number;
  calls: number;
  deferredCalls: number;
  waves: CallKind[][];
  byKind: Partial<Record<CallKind, number>>;
  modelledWaitMs: Record<string, number>;
}
export const DISTANCES: { far: Record<CallKind, number>; near: Record<CallKind, number> };
export function createRecorder(delays?: Partial<Record<CallKind, number>> | null): Recorder;
export function markResponded(rec: Recorder): void;
export function summarize(rec: Recorder, distances?: Distances): HopSummary;
export function instrumentEnv<E extends object>(env: E, current: () => Recorder | null | undefined): E;
