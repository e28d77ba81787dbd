/** Formatting of durations, times and weeks, for people to read. */

/** "1:02:03" — the ticking elapsed time (hours grow past 24). */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}`;
}

/** "0 min", "45 s", "12 min", "2 h", "7 h 05 min" — totals and durations. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s === 0) return '0 min';
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h === 0) return `${m} min`;
  if (m === 0) return `${h} h`;
  return `${h} h ${String(m).padStart(2, '0')} min`;
}

/** How long someone was idle, in whole minutes as a person would say it. */
export function formatIdle(fromIso: string, toIso: string): string {
  const secs = Math.max(0, (Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (secs < 60) return 'less than a minute';
  const mins = Math.round(secs / 60);
  if (mins < 60) return `${mins} min`;
  return formatDuration(mins * 60);
}

/** Time of day in the user's locale and zone: "09:12". */
export function formatTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** "Mon 8 Jun" style day label for a "YYYY-MM-DD" calendar day. */
export function formatDay(day: string, locale?: string): string {
  return dayDate(day).toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/** "7 – 13 Jun 2026" style label of a week from its Sunday and Saturday. */
export function formatWeek(weekStart: string, weekEnd: string, locale?: string): string {
  return dayRange(weekStart, weekEnd, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }, locale);
}

/** "7–13 Jun": the week without its year, for questions and short labels. */
export function formatWeekShort(weekStart: string, weekEnd: string, locale?: string): string {
  return dayRange(weekStart, weekEnd, { day: 'numeric', month: 'short', timeZone: 'UTC' }, locale);
}

function dayRange(a: string, b: string, opts: Intl.DateTimeFormatOptions, locale?: string): string {
  const fmt = new Intl.DateTimeFormat(locale, opts);
  // formatRange drops what both ends share ("7 – 13 Jun 2026").
  return fmt.formatRange ? fmt.formatRange(dayDate(a), dayDate(b)) : `${fmt.format(dayDate(a))} – ${fmt.format(dayDate(b))}`;
}

/** A calendar day as a Date at UTC midnight, so arithmetic ignores DST. */
export function dayDate(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new Error(`not a calendar day: ${day}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export function dayString(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The day `n` days after `day` (negative: before). */
export function addDays(day: string, n: number): string {
  const d = dayDate(day);
  d.setUTCDate(d.getUTCDate() + n);
  return dayString(d);
}

/** The Sunday starting the week that holds `day`. */
export function weekStartOf(day: string): string {
  const d = dayDate(day);
  return addDays(day, -d.getUTCDay());
}

/** Today as "YYYY-MM-DD" in the local time zone. */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
