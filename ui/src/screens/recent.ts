/** The timer screen's recent time: one two-line row per log, newest first; the open log's duration ticks. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { LogEntry } from '../ipc';
import { formatDuration } from '../format';
import { logSyncBadge, span } from '../view';
import { loadFailed } from './failed';
import { badge, entryRow } from './rows';

export interface RecentList {
  el: HTMLElement;
  /** Reads the logs again; `running`: no Continue while the timer runs. */
  load(running: boolean): Promise<void>;
  /** Moves the open log's duration on while the timer runs. */
  tick(running: boolean): void;
}

/** `onContinue` starts the timer again on a log's project and description. */
export function recentList(ctx: Ctx, onContinue: (l: LogEntry) => void): RecentList {
  const el = h('div', { class: 'logs' });
  /** The open log's duration, ticking from what it said when the list arrived. */
  let live: { cell: HTMLElement; seconds: number; at: number } | null = null;

  const row = (l: LogEntry, running: boolean) => {
    const duration = h('span', { class: 'row-duration' }, formatDuration(l.seconds));
    if (l.stoppedAt === null && l.kind === 'tracked') live = { cell: duration, seconds: l.seconds, at: Date.now() };
    const sync = logSyncBadge(l);
    const what = [l.description, l.projectName].filter(Boolean).join(', ') || 'no project, no description';
    const again = running
      ? null
      : h('button', { type: 'button', class: 'link', 'aria-label': `Continue ${what}`, onclick: () => onContinue(l) }, 'Continue');
    return entryRow({
      description: l.description,
      project: l.projectName,
      range: span(l.startedAt, l.stoppedAt, ctx.locale),
      duration,
      badges: [l.kind === 'idle' ? badge('Idle, not counted', 'idle') : null, badge(sync.text, `sync-${l.sync}`, sync.title)].filter(
        (b): b is HTMLElement => b !== null,
      ),
      note: l.sync === 'refused' ? sync.title : null,
      actions: again ? [again] : [],
      className: l.kind === 'idle' ? 'idle' : undefined,
    });
  };

  const load = async (running: boolean) => {
    try {
      const logs = await ctx.ipc.recentLogs();
      live = null;
      fill(
        el,
        logs.length ? h('ul', { class: 'rows' }, logs.map((l) => row(l, running))) : h('p', { class: 'muted' }, 'No time tracked yet today.'),
      );
    } catch (e) {
      live = null;
      loadFailed(ctx, el, "Couldn't load the recent time", e, () => void load(running));
    }
  };

  return {
    el,
    load,
    tick(running) {
      if (live && running) live.cell.textContent = formatDuration(live.seconds + Math.floor((Date.now() - live.at) / 1000));
    },
  };
}
