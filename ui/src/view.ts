/** View logic: what the screens say, kept apart from the DOM so it can be unit tested. */
import type {
  IdleAnswer,
  IdlePrompt,
  IpcError,
  LogEntry,
  NewProject,
  PendingTimesheet,
  Project,
  Screenshot,
  Status,
  StillWorking,
  SyncStatus,
  Timesheet,
  TimesheetEntry,
  TimesheetStatus,
  Tracking,
} from './ipc';
import { addDays, formatClock, formatDuration, formatIdle, formatTime, formatWeekShort } from './format';

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

/** What runs, in words: "Website · Checkout page", or null when nothing is named. */
export function task(t: Pick<Tracking, 'projectName' | 'description'>): string | null {
  const parts = [t.projectName, t.description?.trim()].filter((x): x is string => !!x);
  return parts.length ? parts.join(' · ') : null;
}

/** The line above the clock: "Tracking Website · Checkout page", "Away since 09:48 — not counted", "Timer stopped." */
export function trackingLine(t: Tracking, locale?: string): string {
  switch (t.state) {
    case 'stopped':
      return 'Timer stopped.';
    case 'tracking': {
      const what = task(t);
      return what ? `Tracking ${what}` : 'Tracking (no project, no description)';
    }
    case 'idle':
      return t.idleSince ? `Away since ${formatTime(t.idleSince, locale)} — not counted` : 'Away — not counted';
  }
}

/** The window's title, so the taskbar says the timer runs: "0:47:13 · Website — Stint". */
export function windowTitle(t: Tracking, elapsedSeconds: number): string {
  switch (t.state) {
    case 'stopped':
      return 'Stint';
    case 'tracking':
      return `${formatClock(elapsedSeconds)}${t.projectName ? ` · ${t.projectName}` : ''} — Stint`;
    case 'idle':
      return 'Away — Stint';
  }
}

function items(n: number): string {
  return n === 1 ? '1 item' : `${n} items`;
}

/** The sync status in a sentence, e.g. "All synced. Last sync 09:12." (the chip's longer form). */
export function syncLine(s: SyncStatus, locale?: string): string {
  const parts: string[] = [];
  if (s.pending > 0) parts.push(`${items(s.pending)} waiting to sync.`);
  if (s.failed > 0) parts.push(`${items(s.failed)} refused by the server${s.message && !s.offline ? `: ${s.message}` : ''}.`);
  if (s.pending === 0 && s.failed === 0) parts.push(s.lastSync ? 'All synced.' : 'Nothing to sync yet.');
  if (s.lastSync) parts.push(`Last sync ${formatTime(s.lastSync, locale)}.`);
  return parts.join(' ');
}

export type ChipTone = 'ok' | 'waiting' | 'refused' | 'offline';

/** The header's sync chip: "✓ Synced 09:55", "3 waiting", "1 refused", "Offline · 3 waiting". */
export function syncChip(s: SyncStatus, locale?: string): { text: string; tone: ChipTone } {
  const parts: string[] = [];
  if (s.offline) parts.push('Offline');
  if (s.failed > 0) parts.push(`${s.failed} refused`);
  if (s.pending > 0) parts.push(`${s.pending} waiting`);
  const tone: ChipTone = s.failed > 0 ? 'refused' : s.offline ? 'offline' : s.pending > 0 ? 'waiting' : 'ok';
  if (!parts.length) parts.push(s.lastSync ? `✓ Synced ${formatTime(s.lastSync, locale)}` : '✓ Nothing to sync');
  return { text: parts.join(' · '), tone };
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

/** Away longer than this, Keep is no longer what Enter does: an hour away is rarely work. */
export const LONG_IDLE_MINUTES = 30;

/** The answer the idle prompt focuses first (what Enter does). */
export function idleDefault(p: IdlePrompt): IdleAnswer {
  return Date.parse(p.to) - Date.parse(p.from) > LONG_IDLE_MINUTES * 60_000 ? 'discard' : 'keep';
}

/** The idle prompt's buttons, saying what each does: "Keep 12 min", "Discard 12 min, keep tracking", "Discard and stop at 09:48". */
export function idleLabels(p: IdlePrompt, running: boolean, locale?: string): Record<IdleAnswer, string> {
  const d = formatIdle(p.from, p.to);
  return {
    keep: `Keep ${d}`,
    discard: running ? `Discard ${d}, keep tracking` : `Discard ${d}`,
    stop: `Discard and stop at ${formatTime(p.from, locale)}`,
  };
}

/** The prompt's explanation, naming what was tracked: "From 09:48 to 10:00 you did not touch … while tracking Website · Checkout page." */
export function idleExplanation(p: IdlePrompt, t: Tracking, locale?: string): string {
  const what = t.state !== 'stopped' ? task(t) : null;
  return (
    `From ${formatTime(p.from, locale)} to ${formatTime(p.to, locale)} you did not touch the keyboard or mouse` +
    `${what ? ` while tracking ${what}` : ''}. This time is not counted unless you keep it.`
  );
}

/** "Still working?"'s explanation: since when the timer runs, on what, and what happens without an answer. */
export function stillWorkingText(q: StillWorking, t: Tracking, now: number, locale?: string): string {
  const ran = formatDuration(Math.round((now - Date.parse(q.runningSince)) / 60_000) * 60);
  const what = t.state !== 'stopped' ? task(t) : null;
  return (
    `The timer has run since ${formatTime(q.runningSince, locale)} (${ran})${what ? ` on ${what}` : ''}. ` +
    `Without an answer by ${formatTime(q.stopsAt, locale)}, it stops at the last time you touched the keyboard or mouse.`
  );
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

/** What Submit asks: "Submit 10 h 30 min for 7–13 Jun?" */
export function submitQuestion(t: Pick<Timesheet, 'totalSeconds' | 'weekStart' | 'weekEnd'>, locale?: string): string {
  return `Submit ${formatDuration(t.totalSeconds)} for ${formatWeekShort(t.weekStart, t.weekEnd, locale)}?`;
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
  if (!s || /\s/.test(s)) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  try {
    const u = new URL(s);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    // A host name is letters, digits, dots and hyphens (or an IPv6 address in brackets).
    if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(u.hostname)) return null;
    if (u.username || u.password || u.search || u.hash) return null;
    return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  } catch {
    return null;
  }
}

export type SignInField = 'server' | 'email' | 'password';

/** Checks the sign-in form before anything is sent: the cleaned values, or the field that is wrong and why. */
export function checkSignIn(
  server: string,
  email: string,
  password: string,
): { server: string; email: string } | { field: SignInField; text: string } {
  const url = normalizeServer(server);
  if (!server.trim()) return { field: 'server', text: "Enter your company's Stint server, e.g. stint.example.com." };
  if (!url) return { field: 'server', text: `"${server.trim()}" is not a server address. It looks like stint.example.com.` };
  const e = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(e)) return { field: 'email', text: 'Enter your email address, e.g. omar@example.com.' };
  if (!password) return { field: 'password', text: 'Enter your password.' };
  return { server: url, email: e };
}

/** Which field a failed sign-in is about: the server when it can't be reached, the password when refused. */
export function signInField(code: string): SignInField | null {
  switch (code) {
    case 'offline':
      return 'server';
    case 'refused':
      return 'password';
    default:
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

/** The project Start shows first: the one last started on, if it is still in the list; else "No project" (''). */
export function initialProject(projects: Pick<Project, 'id'>[], remembered: string | null): string {
  return remembered && projects.some((p) => p.id === remembered) ? remembered : '';
}

/**
 * What deleting the screenshot `shots[i]` (newest first) asks. The desktop
 * app cuts the time from the screenshot before it, but at most one interval
 * back (600 s when screenshots are off), up to this one (crates/desktop,
 * `delete_screenshot`); the oldest listed may have an older neighbour not
 * listed, so its range is the most that goes. `interval` undefined: the
 * settings could not be read, so no range is named.
 */
export function deleteShotQuestion(
  shots: Pick<Screenshot, 'takenAt' | 'deleteKeepsTime'>[],
  i: number,
  interval: number | null | undefined,
  locale?: string,
): string {
  if (shots[i].deleteKeepsTime) {
    return 'Delete this screenshot? Your tracked time stays; your manager sees \u201cscreenshot removed by the employee\u201d for those minutes.';
  }
  if (interval === undefined) return 'Delete this screenshot and the time it covers?';
  const to = Date.parse(shots[i].takenAt);
  const earliest = to - (interval ?? 600) * 1000;
  const before = shots[i + 1] ? Date.parse(shots[i + 1].takenAt) : earliest;
  const from = Math.max(before, earliest);
  const iso = (ms: number) => new Date(ms).toISOString();
  return (
    `Delete this screenshot and the time tracked from ${formatTime(iso(from), locale)} to ${formatTime(iso(to), locale)} ` +
    `(${formatDuration((to - from) / 1000)})?`
  );
}

/** Sign out stops a running timer: said first. Null when nothing runs (nothing to ask). */
export function signOutQuestion(t: Tracking): string | null {
  if (t.state === 'stopped') return null;
  const what = task(t);
  return `The timer is running${what ? ` (${what})` : ''}. Stop it and sign out?`;
}

/** What Approve all asks: "Approve 2 weeks, 78 h 15 min in all?" */
export function approveAllQuestion(pending: Pick<PendingTimesheet, 'totalSeconds'>[]): string {
  const total = pending.reduce((n, p) => n + p.totalSeconds, 0);
  return `Approve ${pending.length === 1 ? '1 week' : `${pending.length} weeks`}, ${formatDuration(total)} in all?`;
}

/** What to tell the person after "New project…" (nothing when the server simply made it). */
export function newProjectNote(n: NewProject): string | null {
  switch (n.made) {
    case 'existing':
      return `“${n.project.name}” already exists: it is chosen.`;
    case 'queued':
      return `“${n.project.name}” is saved on this computer and reaches the server when it answers. You can start on it now.`;
    default:
      return null;
  }
}

/** The longest project name the server takes (stint-model's MAX_NAME). */
export const MAX_PROJECT_NAME = 255;

/** Why `title` cannot be a task's title, before anything is sent; null when it can. */
export function taskTitleProblem(title: string): string | null {
  const t = title.trim();
  if (!t) return 'Give the task a title.';
  if ([...t].length > MAX_PROJECT_NAME) return `A task title is at most ${MAX_PROJECT_NAME} characters.`;
  return null;
}

/** Why `name` cannot be a project name, before anything is sent; null when it can. */
export function projectNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Give the project a name.';
  if ([...n].length > MAX_PROJECT_NAME) return `A project name is at most ${MAX_PROJECT_NAME} characters.`;
  return null;
}

/** What archiving a project asks first (Settings → Projects). */
export function archiveQuestion(p: Pick<Project, 'name'>): string {
  return `Archive ${p.name}? Its time stays in reports; nobody can start new time on it.`;
}

/** A project (and task) the timer was started on, for one-click starts. */
export interface RecentPair {
  projectId: string;
  projectName: string;
  taskId: string | null;
  taskTitle: string | null;
}

/** The most recent pairs a start leaves: newest first, each once, five at most. */
export const RECENT_PAIRS = 5;
export function addRecentPair(list: RecentPair[], p: RecentPair): RecentPair[] {
  const same = (q: RecentPair) => q.projectId === p.projectId && q.taskId === p.taskId;
  return [p, ...list.filter((q) => !same(q))].slice(0, RECENT_PAIRS);
}

/** "Website · Checkout page", or the project alone. */
export function pairLabel(p: RecentPair): string {
  return p.taskTitle ? `${p.projectName} · ${p.taskTitle}` : p.projectName;
}
