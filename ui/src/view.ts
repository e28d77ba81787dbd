/** View logic: what the screens say, kept apart from the DOM so it can be unit tested. */
import type {
  IdlePrompt,
  IpcError,
  LogEntry,
  Status,
  SyncStatus,
  Timesheet,
  TimesheetEntry,
  TimesheetStatus,
  Tracking,
} from './ipc';
import { addDays, formatIdle, formatTime } from './format';

/** The numbers that tick: elapsed, today and week, `nowMs` after the status arrived at `receivedAtMs`. */
export function ticking(
  status: Pick<Status, 'tracking' | 'todaySeconds' | 'weekSeconds'>,
  receivedAtMs: number,
  nowMs: number,
): { elapsed: number; today: number; week: number } {
  const t = status.tracking;
  const running = t.state === 'tracking';
  const since = running ? Math.max(0, Math.floor((nowMs - receivedAtMs) / 1000)) : 0;
  let elapsed = 0;
  if (t.state !== 'stopped') {
    if (typeof t.elapsedSeconds === 'number') elapsed = t.elapsedSeconds + since;
    else if (t.startedAt) elapsed = Math.max(0, Math.floor((nowMs - Date.parse(t.startedAt)) / 1000));
  }
  return { elapsed, today: status.todaySeconds + since, week: status.weekSeconds + since };
}

/** One line about the timer: "Tracking Website since 09:12". */
export function trackingLine(t: Tracking, locale?: string): string {
  const what = t.projectName ? ` ${t.projectName}` : '';
  switch (t.state) {
    case 'stopped':
      return 'Timer stopped.';
    case 'tracking':
      return t.startedAt ? `Tracking${what} since ${formatTime(t.startedAt, locale)}.` : `Tracking${what}.`;
    case 'idle':
      return t.idleSince
        ? `Away since ${formatTime(t.idleSince, locale)}: this time is not counted unless you keep it.`
        : 'Away: this time is not counted unless you keep it.';
  }
}

function items(n: number): string {
  return n === 1 ? '1 item' : `${n} items`;
}

/** The sync status line, e.g. "All synced. Last sync 09:12." */
export function syncLine(s: SyncStatus, locale?: string): string {
  const parts: string[] = [];
  if (s.pending > 0) parts.push(`${items(s.pending)} waiting to sync.`);
  if (s.failed > 0) parts.push(`${items(s.failed)} refused by the server${s.message && !s.offline ? `: ${s.message}` : ''}.`);
  if (s.pending === 0 && s.failed === 0) parts.push('All synced.');
  parts.push(s.lastSync ? `Last sync ${formatTime(s.lastSync, locale)}.` : 'Not synced yet.');
  return parts.join(' ');
}

/** The offline banner's text, or null when online. */
export function offlineBanner(s: SyncStatus): string | null {
  if (!s.offline) return null;
  const why = s.message ? ` ${s.message.replace(/\.?$/, '.')}` : '';
  return `Offline.${why} Your time is kept on this computer and syncs when the server is back.`;
}

/** "You were idle for 12 min" — the idle prompt's question. */
export function idleQuestion(p: IdlePrompt): string {
  return `You were idle for ${formatIdle(p.from, p.to)}`;
}

/** What a failed action says: "Couldn't start the timer: Can't reach the server." */
export function errorText(action: string, e: Pick<IpcError, 'message'>): string {
  const msg = e.message.trim().replace(/\.?$/, '.');
  return `${action}: ${msg}`;
}

export function statusLabel(s: TimesheetStatus): string {
  switch (s) {
    case 'draft':
      return 'Draft';
    case 'submitted':
      return 'Submitted, waiting for approval';
    case 'inReview':
      return 'In review';
    case 'approved':
      return 'Approved';
    case 'rejected':
      return 'Rejected: change it and submit again';
  }
}

/** A timesheet can be submitted when it exists, has time and is draft or rejected. */
export function canSubmit(t: Timesheet): boolean {
  return t.id !== null && t.entries.length > 0 && (t.status === 'draft' || t.status === 'rejected');
}

export interface DayGroup {
  date: string;
  entries: TimesheetEntry[];
  seconds: number;
}

/**
 * The week's seven days from its first (Sunday), each with its entries by
 * start time and its total: days without time are there too, so a gap in
 * the week shows.
 */
export function weekDays(weekStart: string, entries: TimesheetEntry[]): DayGroup[] {
  const byDay = new Map<string, TimesheetEntry[]>();
  for (const e of [...entries].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    const list = byDay.get(e.date) ?? [];
    list.push(e);
    byDay.set(e.date, list);
  }
  return Array.from({ length: 7 }, (_, i) => {
    const date = addDays(weekStart, i);
    const list = byDay.get(date) ?? [];
    return { date, entries: list, seconds: list.reduce((n, e) => n + e.seconds, 0) };
  });
}

/** "09:12 – 10:30" or "09:12 – now". */
export function span(startedAt: string, stoppedAt: string | null, locale?: string): string {
  return `${formatTime(startedAt, locale)} – ${stoppedAt ? formatTime(stoppedAt, locale) : 'now'}`;
}

/** A recent log's sync as a small badge: a short word, and the whole sentence as its title. */
export function logSyncBadge(l: LogEntry): { text: string; title: string } {
  switch (l.sync) {
    case 'pending':
      return { text: 'Waiting', title: 'Waiting to sync' };
    case 'synced':
      return { text: '✓ Synced', title: 'Synced' };
    case 'refused':
      return { text: 'Refused', title: l.syncMessage ? `Refused: ${l.syncMessage}` : 'Refused by the server' };
  }
}

/** A server address as typed ("stint.acme.io") made into a URL ("https://stint.acme.io"); null if it can't be one. */
export function normalizeServer(input: string): string | null {
  let s = input.trim();
  if (!s) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (!u.hostname) return null;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

export const SCREENSHOT_INTERVALS: { label: string; seconds: number | null }[] = [
  { label: 'Off', seconds: null },
  { label: 'Every 5 minutes', seconds: 300 },
  { label: 'Every 10 minutes', seconds: 600 },
  { label: 'Every 15 minutes', seconds: 900 },
  { label: 'Every 30 minutes', seconds: 1800 },
  { label: 'Every hour', seconds: 3600 },
];
