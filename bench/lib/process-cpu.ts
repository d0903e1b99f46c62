/**
 * CPU time of another process and all of its threads, in nanoseconds, from Linux's
 * /proc/PID/task/TID/schedstat (first field: time on CPU, ns). A multi-threaded server
 * (knotd's UDP workers) spends its CPU in threads other than the main one, which
 * /proc/PID/schedstat alone does not count. Null when the process is gone or /proc is
 * not Linux's.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function processCpuNs(pid: number): number | null {
  try {
    let total = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        // A thread that ended between the listing and the read: its time is gone with it.
      }
    }
    return total;
  } catch {
    return null;
  }
}
