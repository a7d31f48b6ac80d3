// CPU time of a workerd process (all its threads and isolates: the Worker and its Durable
// Objects), read from /proc, so a path's CPU per request is the process's CPU over a loaded
// run divided by the requests it answered. Linux only; elsewhere the figures are null.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state ppid ... utime is field 14 of stat(5), stime 15.
    return { comm, ppid: Number(fields[1]), utime: Number(fields[11]), stime: Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The workerd processes this process started. */
export function workerdPids() {
  if (!existsSync('/proc/self/stat')) return new Set();
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  return new Set(pids.filter((pid) => {
    const s = stat(pid);
    return s && s.ppid === process.pid && s.comm.startsWith('workerd');
  }));
}

/** Milliseconds of CPU the process has used so far, or null. */
export function cpuMs(pid) {
  const s = pid ? stat(pid) : null;
  return s ? (s.utime + s.stime) * TICK_MS : null;
}
