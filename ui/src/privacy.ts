/**
 * What the Privacy tab says: who else opened the user's screenshots, in
 * sentences an employee reads at a glance ("Lena Lind opened 3 screenshots
 * on Tuesday 2 Dec, 14:02"), not one row per HTTP request. Pure, so the
 * grouping and the wording are unit tested.
 */
import type { ScreenshotView } from './ipc';

/** How far back the tab looks (the `screenshot_views` command's range). */
export const VIEWS_DAYS = 30;

/** Where and how times are read: the user's locale and zone (tests pin both). */
export interface Clock {
  locale?: string;
  timeZone?: string;
  /** Now, for "today" and "yesterday". */
  now?: Date;
}

/** Consecutive views by one person on one day, told as one sentence. */
export interface ViewGroup {
  viewerId: string;
  viewerName: string;
  /** The day, "YYYY-MM-DD", in the user's zone. */
  day: string;
  /** The first and last view of the group. */
  from: string;
  to: string;
  /** Screenshots whose full image was opened. */
  opened: number;
  /** Screenshots of which only the thumbnail was seen. */
  thumbnails: number;
}

function dayOf(iso: string, c: Clock): string {
  // en-CA spells a date as YYYY-MM-DD.
  return new Date(iso).toLocaleDateString('en-CA', { timeZone: c.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
}

/**
 * Groups views, newest first, into runs by the same viewer on the same day.
 * Each screenshot counts once: opening one after seeing its thumbnail is one
 * screenshot opened, not two views.
 */
export function groupViews(views: ScreenshotView[], c: Clock = {}): ViewGroup[] {
  const sorted = [...views].sort((a, b) => b.viewedAt.localeCompare(a.viewedAt));
  const runs: { viewerId: string; viewerName: string; day: string; views: ScreenshotView[] }[] = [];
  for (const v of sorted) {
    const day = dayOf(v.viewedAt, c);
    const last = runs[runs.length - 1];
    if (last && last.viewerId === v.viewerId && last.day === day) last.views.push(v);
    else runs.push({ viewerId: v.viewerId, viewerName: v.viewerName, day, views: [v] });
  }
  return runs.map((r) => {
    const full = new Set(r.views.filter((v) => v.kind === 'file').map((v) => v.screenshotId));
    const thumbs = new Set(r.views.filter((v) => !full.has(v.screenshotId)).map((v) => v.screenshotId));
    return {
      viewerId: r.viewerId,
      viewerName: r.viewerName,
      day: r.day,
      from: r.views[r.views.length - 1].viewedAt,
      to: r.views[0].viewedAt,
      opened: full.size,
      thumbnails: thumbs.size,
    };
  });
}

function screenshots(n: number): string {
  return n === 1 ? '1 screenshot' : `${n} screenshots`;
}

/** "opened 3 screenshots", "saw the thumbnail of 1 screenshot", or both. */
function what(g: ViewGroup): string {
  const thumbs = g.thumbnails === 1 ? 'the thumbnail of' : 'the thumbnails of';
  if (!g.thumbnails) return `opened ${screenshots(g.opened)}`;
  if (!g.opened) return `saw ${thumbs} ${screenshots(g.thumbnails)}`;
  return `opened ${screenshots(g.opened)} and saw ${thumbs} ${g.thumbnails} more`;
}

function time(iso: string, c: Clock): string {
  return new Date(iso).toLocaleTimeString(c.locale, { hour: '2-digit', minute: '2-digit', timeZone: c.timeZone });
}

/** "today", "yesterday" or "on Tuesday 2 Dec". */
export function dayWords(g: Pick<ViewGroup, 'day' | 'from'>, c: Clock = {}): string {
  const now = c.now ?? new Date();
  const today = dayOf(now.toISOString(), c);
  const yesterday = dayOf(new Date(now.getTime() - 86_400_000).toISOString(), c);
  if (g.day === today) return 'today';
  if (g.day === yesterday) return 'yesterday';
  const day = new Date(g.from).toLocaleDateString(c.locale, { weekday: 'long', day: 'numeric', month: 'short', timeZone: c.timeZone });
  return `on ${day.replace(',', '')}`;
}

/** The viewer as the employee knows them; someone who has left is still someone. */
export function viewerName(g: Pick<ViewGroup, 'viewerName'>): string {
  return g.viewerName.trim() || 'Someone no longer in your organization';
}

/** The sentence: "Lena Lind opened 3 screenshots on Tuesday 2 Dec, 14:02–14:10." */
export function viewSentence(g: ViewGroup, c: Clock = {}): string {
  const a = time(g.from, c);
  const b = time(g.to, c);
  const when = a === b ? a : `${a}–${b}`;
  return `${viewerName(g)} ${what(g)} ${dayWords(g, c)}, ${when}.`;
}

/** What the tab says when the list is empty. */
export const NO_VIEWS = `Nobody else has opened your screenshots in the last ${VIEWS_DAYS} days.`;
