import { describe, expect, test } from 'vitest';
import type { Timesheet, TimesheetEntry } from './ipc';
import {
  canSubmit,
  errorText,
  idleQuestion,
  logSyncBadge,
  normalizeServer,
  offlineBanner,
  statusLabel,
  syncLine,
  ticking,
  trackingLine,
  weekDays,
} from './view';

const T0 = Date.UTC(2026, 5, 10, 7, 0, 0);

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
  test('trackingLine', () => {
    expect(trackingLine({ state: 'stopped' })).toBe('Timer stopped.');
    expect(trackingLine({ state: 'tracking', projectName: 'Website', startedAt: '2026-06-10T07:12:00Z' }, 'en-GB')).toMatch(
      /^Tracking Website since \d\d:\d\d\.$/,
    );
    expect(trackingLine({ state: 'tracking' })).toBe('Tracking.');
    expect(trackingLine({ state: 'idle' })).toMatch(/^Away: this time is not counted/);
  });
  test('syncLine', () => {
    expect(syncLine({ pending: 0, failed: 0, offline: false, lastSync: null })).toBe('All synced. Not synced yet.');
    expect(syncLine({ pending: 1, failed: 0, offline: false })).toBe('1 item waiting to sync. Not synced yet.');
    expect(syncLine({ pending: 3, failed: 2, offline: false, message: 'too long' })).toBe(
      '3 items waiting to sync. 2 items refused by the server: too long. Not synced yet.',
    );
    expect(syncLine({ pending: 0, failed: 0, offline: false, lastSync: '2026-06-10T07:12:00Z' }, 'en-GB')).toMatch(
      /^All synced\. Last sync \d\d:\d\d\.$/,
    );
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
  ])('%j -> %j', (input, out) => expect(normalizeServer(input)).toBe(out));
});
