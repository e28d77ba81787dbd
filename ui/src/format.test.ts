import { describe, expect, test } from 'vitest';
import { addDays, formatClock, formatDay, formatDuration, formatIdle, formatWeek, formatWeekShort, localToday, weekStartOf } from './format';

describe('formatClock', () => {
  test.each([
    [0, '0:00:00'],
    [5, '0:00:05'],
    [65, '0:01:05'],
    [3600, '1:00:00'],
    [3600 * 26 + 61, '26:01:01'],
    [-3, '0:00:00'],
    [59.9, '0:00:59'],
  ])('%s s reads %s', (s, text) => expect(formatClock(s)).toBe(text));
});

describe('formatDuration', () => {
  test.each([
    [0, '0 min'],
    [45, '45 s'],
    [60, '1 min'],
    [12 * 60 + 59, '12 min'],
    [2 * 3600, '2 h'],
    [2 * 3600 + 5 * 60, '2 h 05 min'],
    [38 * 3600 + 15 * 60, '38 h 15 min'],
    [-10, '0 min'],
  ])('%s s reads %s', (s, text) => expect(formatDuration(s)).toBe(text));
});

describe('formatIdle', () => {
  const at = (min: number, sec = 0) => new Date(Date.UTC(2026, 5, 10, 9, min, sec)).toISOString();
  test('whole minutes, rounded', () => {
    expect(formatIdle(at(0), at(12))).toBe('12 min');
    expect(formatIdle(at(0), at(12, 31))).toBe('13 min');
    expect(formatIdle(at(0), at(0, 40))).toBe('less than a minute');
  });
  test('past an hour', () => {
    const from = new Date(Date.UTC(2026, 5, 10, 9, 0)).toISOString();
    const to = new Date(Date.UTC(2026, 5, 10, 10, 30)).toISOString();
    expect(formatIdle(from, to)).toBe('1 h 30 min');
  });
});

describe('weeks run Sunday to Saturday', () => {
  test('weekStartOf', () => {
    expect(weekStartOf('2026-06-07')).toBe('2026-06-07'); // a Sunday
    expect(weekStartOf('2026-06-10')).toBe('2026-06-07');
    expect(weekStartOf('2026-06-13')).toBe('2026-06-07'); // Saturday
    expect(weekStartOf('2026-06-14')).toBe('2026-06-14');
    expect(weekStartOf('2027-01-01')).toBe('2026-12-27'); // across a year
  });
  test('addDays across months and DST', () => {
    expect(addDays('2026-06-07', -7)).toBe('2026-05-31');
    expect(addDays('2026-03-28', 7)).toBe('2026-04-04'); // Europe's DST change on 29 March
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
  test('labels', () => {
    expect(formatDay('2026-06-08', 'en-GB')).toBe('Mon 8 Jun');
    expect(formatWeek('2026-05-31', '2026-06-06', 'en-GB').replace(/\s+/g, ' ')).toBe('31 May – 6 Jun 2026');
    expect(formatWeekShort('2026-06-07', '2026-06-13', 'en-GB').replace(/\s+/g, ' ')).toBe('7 – 13 Jun');
  });
  test('a bad day is refused', () => {
    expect(() => addDays('June 7', 1)).toThrow(/not a calendar day/);
  });
  test('localToday', () => {
    expect(localToday(new Date(2026, 5, 10, 23, 59))).toBe('2026-06-10');
  });
});
