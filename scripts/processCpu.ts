/** A process's CPU time, as benchmarks read it for processes they start. */
import { readFileSync } from 'node:fs';

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Debian runs. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds process `pid` has used so far (user and system; its children not included). */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the parenthesised command name: utime and stime are fields 14 and 15, here 11 and 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}
