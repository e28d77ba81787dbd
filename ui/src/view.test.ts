import { describe, expect, test } from 'vitest';
import type { Timesheet, TimesheetEntry } from './ipc';
import {
  approveAllQuestion,
  archiveQuestion,
  canSubmit,
  checkSignIn,
  deleteShotQuestion,
  errorText,
  idleDefault,
  idleExplanation,
  idleLabels,
  idleQuestion,
  logSyncBadge,
  newProjectNote,
  normalizeServer,
  offlineBanner,
  projectNameProblem,
  addRecentPair,
  pairLabel,
  taskTitleProblem,
  signInField,
  statusLabel,
  stillWorkingText,
  submitQuestion,
  syncChip,
  syncLine,
  ticking,
  trackingLine,
  weekDays,
  windowTitle,
} from './view';

const T0 = Date.UTC(2026, 5, 10, 7, 0, 0);

test('deleteShotQuestion says the time goes, or stays where the organization keeps it', () => {
  const shots = [{ takenAt: '2026-06-10T07:10:00Z' }, { takenAt: '2026-06-10T06:55:00Z' }];
  expect(deleteShotQuestion(shots, 0, 600, 'en-GB')).toMatch(/^Delete this screenshot and the time tracked from \d\d:00 to \d\d:10 \(10 min\)\?$/);
  const kept = [{ ...shots[0], deleteKeepsTime: true }, shots[1]];
  expect(deleteShotQuestion(kept, 0, 600)).toBe(
    'Delete this screenshot? Your tracked time stays; your manager sees \u201cscreenshot removed by the employee\u201d for those minutes.',
  );
});

describe('ticking', () => {
  const base = { todaySeconds: 3600, weekSeconds: 7200 };
  test('tracking: elapsed, today and week all move with the clock', () => {
    const s = { ...base, tracking: { state: 'tracking' as const, elapsedSeconds: 60, startedAt: new Date(T0 - 60_000).toISOString() } };
    expect(ticking(s, T0, T0 + 5_500)).toEqual({ elapsed: 65, today: 3605, week: 7205 });
  });
  test('idle: nothing counts while away', () => {
    const s = { ...base, tracking: { state: 'idle' as const, elapsedSeconds: 600 } };
    expect(ticking(s, T0, T0 + 60_000)).toEqual({ elapsed: 600, today: 3600, week: 7200 });
  });
  test('stopped: zero elapsed, totals still', () => {
    expect(ticking({ ...base, tracking: { state: 'stopped' } }, T0, T0 + 60_000)).toEqual({ elapsed: 0, today: 3600, week: 7200 });
  });
  test('without elapsedSeconds it falls back to startedAt', () => {
    const s = { ...base, tracking: { state: 'tracking' as const, startedAt: new Date(T0 - 90_000).toISOString() } };
    expect(ticking(s, T0, T0).elapsed).toBe(90);
  });
});

describe('what the screens say', () => {
  test('trackingLine: what runs, or since when away', () => {
    expect(trackingLine({ state: 'stopped' })).toBe('Timer stopped.');
    expect(trackingLine({ state: 'tracking', projectName: 'Website', description: 'Checkout page' })).toBe(
      'Tracking Website · Checkout page',
    );
    expect(trackingLine({ state: 'tracking', projectName: null, description: ' Review ' })).toBe('Tracking Review');
    expect(trackingLine({ state: 'tracking' })).toBe('Tracking (no project, no description)');
    expect(trackingLine({ state: 'idle', idleSince: '2026-06-10T07:48:00Z' }, 'en-GB')).toMatch(/^Away since \d\d:48 — not counted$/);
    expect(trackingLine({ state: 'idle' })).toBe('Away — not counted');
  });
  test('windowTitle: the elapsed time while tracking', () => {
    expect(windowTitle({ state: 'tracking', projectName: 'Website' }, 47 * 60 + 13)).toBe('0:47:13 · Website — Stint');
    expect(windowTitle({ state: 'tracking' }, 5)).toBe('0:00:05 — Stint');
    expect(windowTitle({ state: 'idle' }, 5)).toBe('Away — Stint');
    expect(windowTitle({ state: 'stopped' }, 0)).toBe('Stint');
  });
  test('syncLine', () => {
    expect(syncLine({ pending: 0, failed: 0, offline: false, lastSync: null })).toBe('Nothing to sync yet.');
    expect(syncLine({ pending: 1, failed: 0, offline: false })).toBe('1 item waiting to sync.');
    expect(syncLine({ pending: 3, failed: 2, offline: false, message: 'too long' })).toBe(
      '3 items waiting to sync. 2 items refused by the server: too long.',
    );
    expect(syncLine({ pending: 0, failed: 0, offline: false, lastSync: '2026-06-10T07:12:00Z' }, 'en-GB')).toMatch(
      /^All synced\. Last sync \d\d:\d\d\.$/,
    );
  });
  test('syncChip: short, and the worst news first', () => {
    expect(syncChip({ pending: 0, failed: 0, offline: false, lastSync: '2026-06-10T07:55:00Z' }, 'en-GB')).toEqual({
      text: expect.stringMatching(/^✓ Synced \d\d:55$/),
      tone: 'ok',
    });
    expect(syncChip({ pending: 0, failed: 0, offline: false })).toEqual({ text: '✓ Nothing to sync', tone: 'ok' });
    expect(syncChip({ pending: 3, failed: 0, offline: false })).toEqual({ text: '3 waiting', tone: 'waiting' });
    expect(syncChip({ pending: 3, failed: 1, offline: false })).toEqual({ text: '1 refused · 3 waiting', tone: 'refused' });
    expect(syncChip({ pending: 2, failed: 0, offline: true })).toEqual({ text: 'Offline · 2 waiting', tone: 'offline' });
  });
  test('offlineBanner', () => {
    expect(offlineBanner({ pending: 0, failed: 0, offline: false })).toBeNull();
    expect(offlineBanner({ pending: 2, failed: 0, offline: true, message: "Can't reach stint.acme.io" })).toBe(
      "Offline. Can't reach stint.acme.io. Your time is kept on this computer and syncs when the server is back.",
    );
    expect(offlineBanner({ pending: 2, failed: 0, offline: true })).toMatch(/^Offline\. Your time is kept/);
  });
  test('idleQuestion', () => {
    expect(idleQuestion({ idleLogId: 'i', from: '2026-06-10T07:00:00Z', to: '2026-06-10T07:12:00Z' })).toBe(
      'You were idle for 12 min',
    );
  });
  test('the idle prompt says what each answer does, and Enter keeps only a short absence', () => {
    const p = { idleLogId: 'i', from: '2026-06-10T07:48:00Z', to: '2026-06-10T08:00:00Z' };
    expect(idleLabels(p, true, 'en-GB')).toEqual({
      keep: 'Keep 12 min',
      discard: 'Discard 12 min, keep tracking',
      stop: expect.stringMatching(/^Discard and stop at \d\d:48$/),
    });
    expect(idleLabels(p, false).discard).toBe('Discard 12 min');
    expect(idleDefault(p)).toBe('keep');
    expect(idleDefault({ ...p, to: '2026-06-10T08:18:00Z' })).toBe('keep'); // 30 min exactly
    expect(idleDefault({ ...p, to: '2026-06-10T09:23:00Z' })).toBe('discard'); // 1 h 35 min
    const t = { state: 'tracking' as const, projectName: 'Website', description: 'Checkout page' };
    expect(idleExplanation(p, t, 'en-GB')).toMatch(/ while tracking Website · Checkout page\. This time is not counted unless you keep it\.$/);
    expect(idleExplanation(p, { state: 'stopped' })).toMatch(/keyboard or mouse\. This time/);
  });
  test('stillWorkingText says since when, on what, and what happens without an answer', () => {
    const now = Date.parse('2026-06-10T18:00:00Z');
    const q = { runningSince: '2026-06-10T07:30:00Z', stopsAt: '2026-06-10T18:15:00Z' };
    const t = { state: 'tracking' as const, projectName: 'Website', description: 'Checkout page' };
    expect(stillWorkingText(q, t, now, 'en-GB')).toMatch(
      /^The timer has run since \d\d:30 \(10 h 30 min\) on Website · Checkout page\. Without an answer by \d\d:15, it stops at the last time you touched the keyboard or mouse\.$/,
    );
    expect(stillWorkingText(q, { state: 'stopped' }, now)).toMatch(/\(10 h 30 min\)\. Without/);
  });
  test('errorText ends with one full stop', () => {
    expect(errorText("Couldn't start the timer", { message: "Can't reach the server" })).toBe(
      "Couldn't start the timer: Can't reach the server.",
    );
    expect(errorText('X', { message: 'Done. ' })).toBe('X: Done.');
  });
  test('logs', () => {
    const l = { id: 'l', projectName: null, description: '', startedAt: '', stoppedAt: null, seconds: 720, sync: 'refused' as const };
    expect(logSyncBadge({ ...l, kind: 'tracked', syncMessage: 'overlaps' })).toEqual({ text: 'Refused', title: 'Refused: overlaps' });
    expect(logSyncBadge({ ...l, kind: 'tracked', sync: 'pending' })).toEqual({ text: 'Waiting', title: 'Waiting to sync' });
    expect(logSyncBadge({ ...l, kind: 'tracked', sync: 'synced' }).text).toBe('✓ Synced');
  });
});

describe('timesheet logic', () => {
  const e = (id: string, date: string, startedAt: string, seconds: number): TimesheetEntry => ({
    id,
    date,
    startedAt,
    stoppedAt: null,
    seconds,
    projectName: null,
    description: '',
  });
  const sheet = (over: Partial<Timesheet>): Timesheet => ({
    id: 't',
    weekStart: '2026-06-07',
    weekEnd: '2026-06-13',
    status: 'draft',
    totalSeconds: 60,
    entries: [e('a', '2026-06-08', '2026-06-08T07:00:00Z', 60)],
    ...over,
  });
  test('canSubmit: draft or rejected, with time', () => {
    expect(canSubmit(sheet({}))).toBe(true);
    expect(canSubmit(sheet({ status: 'rejected' }))).toBe(true);
    expect(canSubmit(sheet({ status: 'submitted' }))).toBe(false);
    expect(canSubmit(sheet({ status: 'approved' }))).toBe(false);
    expect(canSubmit(sheet({ id: null }))).toBe(false);
    expect(canSubmit(sheet({ entries: [] }))).toBe(false);
  });
  test('submitQuestion', () => {
    // The range is the locale's: "7–13 Jun" or "7 – 13 Jun".
    expect(submitQuestion({ totalSeconds: 10.5 * 3600, weekStart: '2026-06-07', weekEnd: '2026-06-13' }, 'en-GB')).toMatch(
      /^Submit 10 h 30 min for 7\s?–\s?13 Jun\?$/,
    );
  });
  test('approveAllQuestion', () => {
    expect(approveAllQuestion([{ totalSeconds: 38.25 * 3600 }, { totalSeconds: 40 * 3600 }])).toBe('Approve 2 weeks, 78 h 15 min in all?');
    expect(approveAllQuestion([{ totalSeconds: 3600 }])).toBe('Approve 1 week, 1 h in all?');
  });
  test('statusLabel', () => {
    expect(statusLabel('submitted')).toBe('Submitted, waiting for approval');
    expect(statusLabel('rejected')).toMatch(/^Rejected/);
  });
  test('weekDays: all seven days in order, entries by start, day totals', () => {
    const g = weekDays('2026-06-07', [
      e('c', '2026-06-09', '2026-06-09T12:00:00Z', 30),
      e('a', '2026-06-08', '2026-06-08T13:00:00Z', 10),
      e('b', '2026-06-08', '2026-06-08T07:00:00Z', 20),
    ]);
    expect(g.map((d) => [d.date, d.entries.map((x) => x.id), d.seconds])).toEqual([
      ['2026-06-07', [], 0],
      ['2026-06-08', ['b', 'a'], 30],
      ['2026-06-09', ['c'], 30],
      ['2026-06-10', [], 0],
      ['2026-06-11', [], 0],
      ['2026-06-12', [], 0],
      ['2026-06-13', [], 0],
    ]);
  });
});

describe('normalizeServer', () => {
  test.each([
    ['stint.acme.io', 'https://stint.acme.io'],
    ['  https://stint.acme.io/  ', 'https://stint.acme.io'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['https://acme.io/stint/', 'https://acme.io/stint'],
    ['', null],
    ['ftp://acme.io', null],
    ['http://', null],
    ['not a url !!', null],
    ['not-a-url!!', null],
    ['https://user:pw@acme.io', null],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['localhost:8080', 'https://localhost:8080'],
  ])('%j -> %j', (input, out) => expect(normalizeServer(input)).toBe(out));
});

describe('sign-in checks', () => {
  test('each problem at its field, nothing sent', () => {
    expect(checkSignIn('', 'a@b.io', 'x')).toMatchObject({ field: 'server' });
    expect(checkSignIn('not a url !!', 'a@b.io', 'x')).toEqual({
      field: 'server',
      text: '"not a url !!" is not a server address. It looks like stint.example.com.',
    });
    expect(checkSignIn('acme.io', 'omar', 'x')).toMatchObject({ field: 'email' });
    expect(checkSignIn('acme.io', 'omar@acme.io', '')).toMatchObject({ field: 'password' });
    expect(checkSignIn(' acme.io ', ' omar@acme.io ', ' pw ')).toEqual({ server: 'https://acme.io', email: 'omar@acme.io' });
  });
  test('signInField', () => {
    expect(signInField('offline')).toBe('server');
    expect(signInField('refused')).toBe('password');
    expect(signInField('internal')).toBeNull();
  });
});

describe('new project', () => {
  const project = { id: 'p1', name: 'Docs' };
  test('says nothing when the server made it, and why otherwise', () => {
    expect(newProjectNote({ project, made: 'created' })).toBeNull();
    expect(newProjectNote({ project, made: 'existing' })).toBe('“Docs” already exists: it is chosen.');
    expect(newProjectNote({ project, made: 'queued' })).toContain('saved on this computer');
  });
  test('checks the name before sending it', () => {
    expect(projectNameProblem('   ')).toBe('Give the project a name.');
    expect(projectNameProblem('x'.repeat(256))).toBe('A project name is at most 255 characters.');
    expect(projectNameProblem(' Docs ')).toBeNull();
    expect(taskTitleProblem(' ')).toBe('Give the task a title.');
    expect(taskTitleProblem('Payment')).toBeNull();
  });
});

describe('archiveQuestion', () => {
  test('names the project and says what archiving keeps and stops', () => {
    expect(archiveQuestion({ name: 'Website' })).toBe('Archive Website? Its time stays in reports; nobody can start new time on it.');
  });
});

describe('recent pairs', () => {
  const pair = (projectId: string, taskId: string | null = null) => ({
    projectId,
    projectName: projectId.toUpperCase(),
    taskId,
    taskTitle: taskId ? `task ${taskId}` : null,
  });
  test('newest first, each once, five at most', () => {
    let list = ['a', 'b', 'c', 'd', 'e', 'f'].reduce((l, id) => addRecentPair(l, pair(id)), [] as ReturnType<typeof pair>[]);
    expect(list.map((p) => p.projectId)).toEqual(['f', 'e', 'd', 'c', 'b']);
    list = addRecentPair(list, pair('c'));
    expect(list.map((p) => p.projectId)).toEqual(['c', 'f', 'e', 'd', 'b']);
    list = addRecentPair(list, pair('c', 't1'));
    expect(list.length).toBe(5);
    expect(pairLabel(list[0])).toBe('C · task t1');
    expect(pairLabel(list[1])).toBe('C');
  });
});
