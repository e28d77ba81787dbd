/** Pure view logic of a rejection (its reason, what the employee reads) and of an expanded week. */
import type { DayDetails, Timesheet } from './ipc';
import { formatDuration } from './format';

/** As the server's rule (stint_model::MAX_REJECTION_REASON). */
export const MAX_REJECTION_REASON = 1000;

/** What is wrong with a reason before it is sent, or null when it may go. */
export function rejectReasonProblem(reason: string): string | null {
  const text = reason.trim();
  if (!text) return 'Say what to fix: the reason is sent to the employee.';
  const n = [...text].length;
  if (n > MAX_REJECTION_REASON) return `The reason may be at most ${MAX_REJECTION_REASON} characters (${n} now).`;
  return null;
}

/** "No screenshots", "1 screenshot", "7 screenshots". */
export function screenshotCount(n: number): string {
  if (n === 0) return 'No screenshots';
  return n === 1 ? '1 screenshot' : `${n} screenshots`;
}

/** One day's line under its heading: "6 h · 3 screenshots", or "No time". */
export function daySummary(d: Pick<DayDetails, 'totalSeconds' | 'screenshots'>): string {
  if (!d.totalSeconds && !d.screenshots) return 'No time';
  return `${d.totalSeconds ? formatDuration(d.totalSeconds) : 'No time'} · ${screenshotCount(d.screenshots)}`;
}

/** What a rejected week tells its employee: the manager's reason and the way forward; null for other weeks. */
export function rejectedNote(t: Pick<Timesheet, 'status' | 'rejectionReason'>): { reason: string | null; next: string } | null {
  if (t.status !== 'rejected') return null;
  return { reason: t.rejectionReason?.trim() || null, next: 'Fix the time and submit again.' };
}

/** "09:00 – 11:24" on the employee's clock (`timeZone`), as their days are cut: the manager reads the hours they worked. */
export function zonedSpan(startedAt: string, stoppedAt: string | null, timeZone: string, locale?: string): string {
  const time = (iso: string) => {
    const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
    try {
      return new Date(iso).toLocaleTimeString(locale, { ...opts, timeZone });
    } catch {
      return new Date(iso).toLocaleTimeString(locale, opts); // a zone this browser does not know
    }
  };
  return `${time(startedAt)} – ${stoppedAt ? time(stoppedAt) : 'now'}`;
}
