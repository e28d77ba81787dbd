/** For managers: submitted timesheets of direct reports, each opening to its days, with Approve / Reject (with a reason), and Approve all. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { PendingTimesheet } from '../ipc';
import { ask } from '../confirm';
import { formatDuration, formatWeek } from '../format';
import { approveAllQuestion } from '../view';
import { loadFailed } from './failed';
import { rejectForm } from './reject_form';
import { weekDetails } from './week_details';
import '../approvals.css';

export function approvalsScreen(ctx: Ctx): Screen {
  const heading = h('h2', { id: 'approvals-h', tabIndex: -1 }, 'Timesheets to approve');
  const body = h('div', null, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const all = h('div', { class: 'actions' });
  let pending: PendingTimesheet[] = [];

  const label = (p: PendingTimesheet) => `${p.employeeName || p.employeeEmail}'s week of ${formatWeek(p.weekStart, p.weekEnd, ctx.locale)}`;

  /** Shows the list; `focusAt`: the index whose Approve takes the focus (the row after the one decided). */
  const render = (focusAt?: number) => {
    ctx.setPending(pending.length);
    if (!pending.length) {
      fill(all);
      fill(body, h('p', { class: 'muted', tabIndex: -1 }, 'No timesheets are waiting for you.'));
      if (focusAt !== undefined) (body.firstElementChild as HTMLElement).focus();
      return;
    }
    const rows = pending.map(row);
    fill(body, h('ul', { class: 'rows' }, rows.map((r) => r.li)));
    fill(all, pending.length > 1 ? approveAll : null);
    if (focusAt !== undefined) rows[Math.min(focusAt, rows.length - 1)].ok.focus();
  };

  /** Approves or rejects one; the rest stay, and the focus moves on to the next. */
  /** `reason`: rejects with it; absent: approves. */
  const decide = async (p: PendingTimesheet, reason?: string): Promise<boolean> => {
    const approve = reason === undefined;
    const action = `Couldn't ${approve ? 'approve' : 'reject'} ${p.employeeName || p.employeeEmail}'s week`;
    try {
      await (approve ? ctx.ipc.approve(p.id) : ctx.ipc.reject(p.id, reason));
      ctx.clear(action);
      const at = pending.findIndex((x) => x.id === p.id);
      pending = pending.filter((x) => x.id !== p.id);
      ctx.say(`${approve ? 'Approved' : 'Rejected'} ${label(p)}.`);
      render(at);
      return true;
    } catch (e) {
      ctx.report(action, e);
      return false;
    }
  };

  const row = (p: PendingTimesheet) => {
    const who = p.employeeName || p.employeeEmail;
    const buttons = h('div', { class: 'decide' });
    const ok = h('button', { type: 'button', class: 'primary', 'aria-label': `Approve ${label(p)}` }, 'Approve');
    const no = h('button', { type: 'button', class: 'danger', 'aria-label': `Reject ${label(p)}` }, 'Reject');
    ok.addEventListener('click', async () => {
      ok.disabled = no.disabled = true;
      if (!(await decide(p))) ok.disabled = no.disabled = false;
    });
    // Rejecting sends the week back to the employee, who must learn why: a reason, asked in the row.
    no.addEventListener('click', () => rejectForm(buttons, { who, label: label(p), send: (reason) => decide(p, reason) }));
    buttons.append(ok, no);
    const li = h(
      'li',
      { class: 'row' },
      h('p', { class: 'row-what' }, h('span', { class: 'row-desc' }, who), ' ', h('span', { class: 'row-project' }, p.employeeEmail)),
      h(
        'div',
        { class: 'row-bottom' },
        h('span', { class: 'row-range' }, formatWeek(p.weekStart, p.weekEnd, ctx.locale)),
        h('span', { class: 'row-duration' }, formatDuration(p.totalSeconds)),
      ),
      weekDetails(ctx, p, label(p)),
      buttons,
    );
    return { li, ok };
  };

  /** Approve all: one question, then each in turn; a refusal stops there and says which. */
  const approveAll = h('button', { type: 'button' }, 'Approve all');
  approveAll.addEventListener('click', () =>
    ask(all, {
      question: approveAllQuestion(pending),
      yes: 'Approve all',
      run: async () => {
        for (const p of [...pending]) {
          if (!(await decide(p))) return false;
        }
        ctx.say(`Approved every waiting week.`);
        heading.focus();
        return true;
      },
    }),
  );

  const load = async () => {
    try {
      pending = await ctx.ipc.pendingApprovals();
      render();
    } catch (e) {
      loadFailed(ctx, body, "Couldn't load the timesheets to approve", e, () => void load());
    }
  };

  const el = h('section', { class: 'approvals', 'aria-labelledby': 'approvals-h' }, heading, body, all);
  void load();
  return { el };
}
