/** The week's timesheet (Sun–Sat): entries by day, total, Submit, previous/next week. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { Timesheet } from '../ipc';
import { addDays, formatDay, formatDuration, formatWeek, localToday, weekStartOf } from '../format';
import { ask } from '../confirm';
import { canSubmit, span, statusLabel, submitQuestion, weekDays } from '../view';
import { rejectedNote } from '../approval_view';
import '../approvals.css';
import { loadFailed } from './failed';
import { entryRow } from './rows';

export function timesheetScreen(ctx: Ctx): Screen {
  const title = h('h2', { id: 'sheet-h', tabIndex: -1 }, 'Timesheet');
  const state = h('p', { class: 'sheet-status' });
  /** A rejected week: the manager's reason and what to do now. */
  const rejection = h('div', { class: 'rejection', hidden: true });
  const body = h('div', { class: 'sheet' }, h('p', { class: 'muted', role: 'status' }, 'Loading the week…'));
  const prev = h('button', { type: 'button' }, '← Previous week');
  const next = h('button', { type: 'button' }, 'Next week →');
  const submit = h('button', { type: 'button', class: 'primary' }, 'Submit for approval');
  const actions = h('div', { class: 'actions' }, submit);

  let sheet: Timesheet | null = null;
  let busy = false;

  const render = () => {
    if (!sheet) return;
    const t = sheet;
    title.textContent = `Week of ${formatWeek(t.weekStart, t.weekEnd, ctx.locale)}`;
    state.textContent = `Status: ${statusLabel(t.status)}`;
    state.dataset.status = t.status;
    const note = rejectedNote(t);
    rejection.hidden = !note;
    fill(
      rejection,
      note?.reason ? h('p', null, h('strong', null, 'Why: '), note.reason) : null,
      note ? h('p', null, note.next) : null,
    );
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
      ctx.clear("Couldn't load the timesheet");
      busy = false;
      render();
    } catch (e) {
      busy = false;
      if (sheet) {
        render();
        ctx.report("Couldn't load the timesheet", e);
      } else loadFailed(ctx, body, "Couldn't load the timesheet", e, () => void load(weekStart));
    }
  };

  /** Another week: what was said about this one goes. */
  const week = (days: number) => {
    if (!sheet) return;
    ctx.say('');
    fill(actions, submit); // a question about the last week no longer stands
    void load(addDays(sheet.weekStart, days));
  };
  prev.addEventListener('click', () => week(-7));
  next.addEventListener('click', () => week(7));
  submit.addEventListener('click', () => {
    const t = sheet;
    if (!t?.id) return;
    const id = t.id;
    ask(actions, {
      question: submitQuestion(t, ctx.locale),
      yes: 'Submit',
      run: async () => {
        try {
          sheet = await ctx.ipc.submitTimesheet(id);
          ctx.clear("Couldn't submit the timesheet");
          ctx.say(`Submitted the week of ${formatWeek(sheet.weekStart, sheet.weekEnd, ctx.locale)} for approval.`);
          fill(actions, submit);
          render();
          title.focus();
          return true;
        } catch (e) {
          ctx.report("Couldn't submit the timesheet", e);
          return false;
        }
      },
    });
  });

  const el = h(
    'section',
    { class: 'timesheet', 'aria-labelledby': 'sheet-h' },
    title,
    h('div', { class: 'week-nav' }, prev, next),
    state,
    rejection,
    body,
    actions,
  );
  void load();
  return { el };
}
