/** For managers: submitted timesheets of direct reports, with Approve / Reject. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { PendingTimesheet } from '../ipc';
import { formatDuration, formatWeek } from '../format';

export function approvalsScreen(ctx: Ctx): Screen {
  const body = h('div', null, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  let pending: PendingTimesheet[] = [];

  const render = () => {
    if (!pending.length) {
      fill(body, h('p', { class: 'muted' }, 'No timesheets are waiting for you.'));
      return;
    }
    fill(
      body,
      h(
        'ul',
        { class: 'rows' },
        pending.map((p) => {
          const week = formatWeek(p.weekStart, p.weekEnd, ctx.locale);
          const who = p.employeeName || p.employeeEmail;
          const decide = async (approve: boolean, buttons: HTMLButtonElement[]) => {
            buttons.forEach((b) => (b.disabled = true));
            try {
              await (approve ? ctx.ipc.approve(p.id) : ctx.ipc.reject(p.id));
              pending = pending.filter((x) => x.id !== p.id);
              render();
              ctx.say(`${approve ? 'Approved' : 'Rejected'} ${who}'s week of ${week}.`);
            } catch (e) {
              buttons.forEach((b) => (b.disabled = false));
              ctx.report(`Couldn't ${approve ? 'approve' : 'reject'} ${who}'s week`, e);
            }
          };
          const ok = h('button', { type: 'button', class: 'primary', 'aria-label': `Approve ${who}'s week of ${week}` }, 'Approve');
          const no = h('button', { type: 'button', class: 'danger', 'aria-label': `Reject ${who}'s week of ${week}` }, 'Reject');
          ok.addEventListener('click', () => void decide(true, [ok, no]));
          no.addEventListener('click', () => void decide(false, [ok, no]));
          return h(
            'li',
            { class: 'row' },
            h('p', { class: 'row-what' }, h('span', { class: 'row-desc' }, who), ' ', h('span', { class: 'row-project' }, p.employeeEmail)),
            h(
              'div',
              { class: 'row-bottom' },
              h('span', { class: 'row-range' }, week),
              h('span', { class: 'row-duration' }, formatDuration(p.totalSeconds)),
            ),
            h('div', { class: 'decide' }, ok, no),
            );
        }),
      ),
    );
  };

  const load = async () => {
    try {
      pending = await ctx.ipc.pendingApprovals();
      render();
    } catch (e) {
      fill(body, h('p', { class: 'muted' }, 'The timesheets could not be loaded.'));
      ctx.report("Couldn't load the timesheets to approve", e);
    }
  };

  const el = h(
    'section',
    { class: 'approvals', 'aria-labelledby': 'approvals-h' },
    h('h2', { id: 'approvals-h', tabIndex: -1 }, 'Timesheets to approve'),
    body,
  );
  void load();
  return { el };
}
