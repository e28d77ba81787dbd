/** The week's timesheet (Sun–Sat): entries by day, total, Submit, previous/next week. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { Timesheet } from '../ipc';
import { addDays, formatDay, formatDuration, formatWeek, localToday, weekStartOf } from '../format';
import { canSubmit, span, statusLabel, weekDays } from '../view';
import { entryRow } from './rows';

export function timesheetScreen(ctx: Ctx): Screen {
  const title = h('h2', { id: 'sheet-h', tabIndex: -1 }, 'Timesheet');
  const state = h('p', { class: 'sheet-status' });
  const body = h('div', { class: 'sheet' }, h('p', { class: 'muted', role: 'status' }, 'Loading the week…'));
  const prev = h('button', { type: 'button' }, '← Previous week');
  const next = h('button', { type: 'button' }, 'Next week →');
  const submit = h('button', { type: 'button', class: 'primary' }, 'Submit for approval');

  let sheet: Timesheet | null = null;
  let busy = false;

  const render = () => {
    if (!sheet) return;
    const t = sheet;
    title.textContent = `Week of ${formatWeek(t.weekStart, t.weekEnd, ctx.locale)}`;
    state.textContent = `Status: ${statusLabel(t.status)}`;
    state.dataset.status = t.status;
    next.disabled = busy || t.weekStart >= weekStartOf(localToday());
    prev.disabled = busy;
    submit.disabled = busy || !canSubmit(t);
    submit.hidden = t.status !== 'draft' && t.status !== 'rejected';
    fill(
      body,
      t.entries.length === 0 ? h('p', { class: 'muted' }, 'No time tracked this week.') : null,
      weekDays(t.weekStart, t.entries).map((d) => {
        const id = `day-${d.date}`;
        return h(
          'div',
          { class: 'day', role: 'group', 'aria-labelledby': id },
          h(
            'h3',
            { id },
            h('span', null, formatDay(d.date, ctx.locale)),
            h('span', { class: 'day-total' }, d.seconds ? formatDuration(d.seconds) : 'No time'),
          ),
          d.entries.length
            ? h(
                'ul',
                { class: 'rows' },
                d.entries.map((e) =>
                  entryRow({
                    description: e.description,
                    project: e.projectName,
                    range: span(e.startedAt, e.stoppedAt, ctx.locale),
                    duration: h('span', { class: 'row-duration' }, formatDuration(e.seconds)),
                  }),
                ),
              )
            : null,
        );
      }),
      h('p', { class: 'sheet-total' }, h('span', null, 'Total'), h('strong', { id: 'sheet-total' }, formatDuration(t.totalSeconds))),
    );
  };

  const load = async (weekStart?: string) => {
    busy = true;
    if (sheet) render();
    try {
      sheet = await ctx.ipc.timesheet(weekStart);
      busy = false;
      render();
    } catch (e) {
      busy = false;
      if (sheet) render();
      else fill(body, h('p', { class: 'muted' }, 'The timesheet could not be loaded.'));
      ctx.report("Couldn't load the timesheet", e);
    }
  };

  prev.addEventListener('click', () => sheet && void load(addDays(sheet.weekStart, -7)));
  next.addEventListener('click', () => sheet && void load(addDays(sheet.weekStart, 7)));
  submit.addEventListener('click', async () => {
    if (!sheet?.id) return;
    busy = true;
    render();
    try {
      sheet = await ctx.ipc.submitTimesheet(sheet.id);
      busy = false;
      render();
      ctx.say(`Submitted the week of ${formatWeek(sheet.weekStart, sheet.weekEnd, ctx.locale)} for approval.`);
    } catch (e) {
      busy = false;
      render();
      ctx.report("Couldn't submit the timesheet", e);
    }
  });

  const el = h(
    'section',
    { class: 'timesheet', 'aria-labelledby': 'sheet-h' },
    title,
    h('div', { class: 'week-nav' }, prev, next),
    state,
    body,
    h('div', { class: 'actions' }, submit),
  );
  void load();
  return { el };
}
