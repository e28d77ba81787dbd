/** The timer screen's recent time: one two-line row per log, newest first; the open log's duration ticks. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { LogEntry } from '../ipc';
import { formatDuration } from '../format';
import { logSyncBadge, span } from '../view';
import { badge, entryRow } from './rows';

export interface RecentList {
  el: HTMLElement;
  render(logs: LogEntry[]): void;
  /** Moves the open log's duration on while the timer runs. */
  tick(running: boolean): void;
}

export function recentList(ctx: Ctx): RecentList {
  const el = h('div', { class: 'logs' });
  /** The open log's duration, ticking from what it said when the list arrived. */
  let live: { cell: HTMLElement; seconds: number; at: number } | null = null;

  const row = (l: LogEntry) => {
    const duration = h('span', { class: 'row-duration' }, formatDuration(l.seconds));
    if (l.stoppedAt === null && l.kind === 'tracked') live = { cell: duration, seconds: l.seconds, at: Date.now() };
    const sync = logSyncBadge(l);
    return entryRow({
      description: l.description,
      project: l.projectName,
      range: span(l.startedAt, l.stoppedAt, ctx.locale),
      duration,
      badges: [
        l.kind === 'idle' ? badge('Idle, not counted', 'idle') : null,
        badge(sync.text, `sync-${l.sync}`, sync.title),
      ].filter((b): b is HTMLElement => b !== null),
      note: l.sync === 'refused' ? sync.title : null,
      className: l.kind === 'idle' ? 'idle' : undefined,
    });
  };

  return {
    el,
    render(logs) {
      live = null;
      fill(el, logs.length ? h('ul', { class: 'rows' }, logs.map(row)) : h('p', { class: 'muted' }, 'No time tracked yet today.'));
    },
    tick(running) {
      if (live && running) live.cell.textContent = formatDuration(live.seconds + Math.floor((Date.now() - live.at) / 1000));
    },
  };
}
