import { describe, expect, it } from 'vitest';
import { MAX_REJECTION_REASON, daySummary, rejectReasonProblem, rejectedNote, screenshotCount, zonedSpan } from './approval_view';

describe('a rejection reason', () => {
  it('is required, trimmed, and at most 1,000 characters (counted as characters, not bytes)', () => {
    expect(rejectReasonProblem('')).toMatch(/Say what to fix/);
    expect(rejectReasonProblem('  \n\t ')).toMatch(/Say what to fix/);
    expect(rejectReasonProblem(' Tuesday is missing ')).toBeNull();
    expect(rejectReasonProblem('é'.repeat(MAX_REJECTION_REASON))).toBeNull();
    expect(rejectReasonProblem(`  ${'x'.repeat(MAX_REJECTION_REASON)}  `)).toBeNull();
    expect(rejectReasonProblem('x'.repeat(MAX_REJECTION_REASON + 1))).toBe('The reason may be at most 1000 characters (1001 now).');
  });

  it('reaches the employee only on a rejected week, with the way forward', () => {
    expect(rejectedNote({ status: 'rejected', rejectionReason: 'Add Tuesday' })).toEqual({ reason: 'Add Tuesday', next: 'Fix the time and submit again.' });
    expect(rejectedNote({ status: 'rejected', rejectionReason: null })).toEqual({ reason: null, next: 'Fix the time and submit again.' });
    expect(rejectedNote({ status: 'rejected' })?.reason).toBeNull();
    for (const status of ['draft', 'submitted', 'inReview', 'approved'] as const) {
      expect(rejectedNote({ status, rejectionReason: 'stale' })).toBeNull();
    }
  });
});

describe('an expanded week', () => {
  it('says each day in a line: time and screenshots', () => {
    expect(screenshotCount(0)).toBe('No screenshots');
    expect(screenshotCount(1)).toBe('1 screenshot');
    expect(screenshotCount(12)).toBe('12 screenshots');
    expect(daySummary({ totalSeconds: 0, screenshots: 0 })).toBe('No time');
    expect(daySummary({ totalSeconds: 6 * 3600, screenshots: 3 })).toBe('6 h · 3 screenshots');
    expect(daySummary({ totalSeconds: 0, screenshots: 2 })).toBe('No time · 2 screenshots');
  });
});

describe('a log of an opened week', () => {
  it("reads on the employee's clock, whatever the manager's zone", () => {
    expect(zonedSpan('2026-06-01T07:00:00Z', '2026-06-01T09:24:00Z', 'Europe/Berlin', 'en-GB')).toBe('09:00 – 11:24');
    expect(zonedSpan('2026-06-01T07:00:00Z', null, 'Pacific/Auckland', 'en-GB')).toBe('19:00 – now');
    expect(zonedSpan('2026-06-01T07:00:00Z', '2026-06-01T08:00:00Z', 'UTC', 'en-GB')).toBe('07:00 – 08:00');
    expect(zonedSpan('2026-06-01T07:00:00Z', null, 'Not/AZone', 'en-GB')).toMatch(/^\d\d:\d\d – now$/);
  });
});
