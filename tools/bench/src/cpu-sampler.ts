import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_S = 100;

/** CPU seconds (user + system) a process has used so far; null once it is gone. */
function cpuTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/**
 * CPU time per group of processes over a measured span, from /proc: each sample records every
 * matching process's user + system time; a group's figure is the sum over its processes of the
 * last sample minus the first (or zero for processes born during the span). Processes that end
 * between two samples lose at most one interval of their time.
 */
export class CpuSampler {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly groupOf = new Map<number, string>();
  private timer?: NodeJS.Timeout;

  /** `classify` names the group of a process from its pid and command line, or undefined to skip it. */
  constructor(private readonly classify: (pid: number, cmdline: string) => string | undefined) {}

  start(intervalMs = 500): void {
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), intervalMs);
  }

  /** Takes a last sample and returns CPU seconds per group. */
  stop(): Record<string, number> {
    clearInterval(this.timer);
    this.sample(false);
    const out: Record<string, number> = {};
    for (const [pid, ticks] of this.last) {
      const group = this.groupOf.get(pid) as string;
      out[group] = (out[group] ?? 0) + (ticks - (this.first.get(pid) ?? 0)) / TICKS_PER_S;
    }
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  }

  private sample(initial: boolean): void {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      let group = this.groupOf.get(pid);
      if (group === undefined) {
        group = this.classify(pid, cmdline(pid));
        if (group === undefined) continue;
        this.groupOf.set(pid, group);
      }
      const ticks = cpuTicks(pid);
      if (ticks === null) continue;
      if (initial) this.first.set(pid, ticks);
      this.last.set(pid, ticks);
    }
  }
}

/**
 * The role of a Postgres backend from its process title (`postgres: [cluster: ]role database
 * host(port) state`): the word before the database's name; `autovacuum` for an autovacuum worker
 * on that database, `other` for the server's own processes.
 */
export function postgresRole(cmdline: string, database: string): string {
  if (cmdline.includes('autovacuum worker')) return 'autovacuum';
  const words = cmdline.trim().split(/\s+/);
  const at = words.indexOf(database);
  return at > 1 ? (words[at - 1] as string) : 'other';
}

/**
 * Folds the `postgres/<role>` groups of a sample into one `postgres` group, and gives the
 * seconds of each role beside it.
 */
export function splitPostgres(seconds: Record<string, number>): { total: Record<string, number>; postgresByRole: Record<string, number> } {
  const total: Record<string, number> = {};
  const postgresByRole: Record<string, number> = {};
  for (const [group, s] of Object.entries(seconds)) {
    if (group.startsWith('postgres/')) {
      postgresByRole[group.slice('postgres/'.length)] = s;
      total['postgres'] = (total['postgres'] ?? 0) + s;
    } else {
      total[group] = s;
    }
  }
  if (total['postgres'] !== undefined) total['postgres'] = Math.round(total['postgres'] * 10) / 10;
  return { total, postgresByRole };
}
