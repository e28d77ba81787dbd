/**
 * A pending week's disclosure: "Show days" opens it, loaded from the server
 * on first open, to every day of the week with its projects and their time,
 * its logs (time range, description) and how many screenshots were taken.
 */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { PendingTimesheet, WeekDetails } from '../ipc';
import { formatDay, formatDuration } from '../format';
import { daySummary, zonedSpan } from '../approval_view';
import { loadFailed } from './failed';
import { entryRow } from './rows';

export function weekDetails(ctx: Ctx, p: PendingTimesheet, label: string): HTMLElement {
  const id = `week-${p.id}`;
  const toggle = h('button', { type: 'button', class: 'disclosure', 'aria-expanded': 'false', 'aria-controls': id, 'aria-label': `Show days of ${label}` }, 'Show days');
  const region = h('div', { id, class: 'week-days', hidden: true });
  let loaded: WeekDetails | null = null;

  const render = (w: WeekDetails) =>
    fill(
      region,
      w.days.map((d) => {
        const dayId = `${id}-${d.date}`;
        return h(
          'div',
          { class: 'day', role: 'group', 'aria-labelledby': dayId },
          h('h4', { id: dayId }, h('span', null, formatDay(d.date, ctx.locale)), h('span', { class: 'day-total' }, daySummary(d))),
          d.projects.length
            ? h(
                'ul',
                { class: 'day-projects', 'aria-label': 'Projects' },
                d.projects.map((pr) => h('li', null, h('span', null, pr.name ?? 'No project'), h('span', { class: 'row-duration' }, formatDuration(pr.seconds)))),
              )
            : null,
          d.logs.length
            ? h(
                'ul',
                { class: 'rows', 'aria-label': 'Time' },
                d.logs.map((l) =>
                  entryRow({
                    description: l.description,
                    project: l.projectName,
                    range: zonedSpan(l.startedAt, l.stoppedAt, w.timeZone, ctx.locale),
                    duration: h('span', { class: 'row-duration' }, formatDuration(l.seconds)),
                  }),
                ),
              )
            : null,
        );
      }),
    );

  const load = async () => {
    fill(region, h('p', { class: 'muted', role: 'status' }, 'Loading the days…'));
    try {
      loaded = await ctx.ipc.approvalWeek(p.id);
      render(loaded);
    } catch (e) {
      loadFailed(ctx, region, `Couldn't load the days of ${label}`, e, () => void load());
    }
  };

  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide days' : 'Show days';
    toggle.setAttribute('aria-label', `${toggle.textContent} of ${label}`);
    region.hidden = !open;
    if (open && !loaded) void load();
  });
  return h('div', { class: 'week-more' }, toggle, region);
}
