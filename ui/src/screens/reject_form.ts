/**
 * Reject, asked in place: why (sent to the employee, required), Reject week
 * and Cancel. Escape or Cancel puts the buttons back with the focus on
 * Reject; a bad reason is said beside the field, which keeps the focus.
 */
import { h } from '../dom';
import { MAX_REJECTION_REASON, rejectReasonProblem } from '../approval_view';

let forms = 0;

export interface RejectAsk {
  /** Whose week: "Omar Odeh". */
  who: string;
  /** "Omar Odeh's week of 31 May – 6 Jun 2026". */
  label: string;
  /** Rejects with the trimmed reason; resolves false when it failed (the form stays for another try). */
  send(reason: string): Promise<boolean>;
}

export function rejectForm(where: HTMLElement, r: RejectAsk): void {
  const before = [...where.childNodes];
  const focus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const n = ++forms;
  const back = () => {
    where.replaceChildren(...before);
    if (focus?.isConnected) focus.focus();
  };
  const problem = h('p', { class: 'field-error', id: `reject-why-error-${n}`, hidden: true });
  const reason = h('textarea', {
    id: `reject-why-${n}`,
    rows: 3,
    maxLength: MAX_REJECTION_REASON + 100,
    'aria-describedby': `reject-why-hint-${n}`,
  });
  const yes = h('button', { type: 'submit', class: 'danger' }, 'Reject week');
  const no = h('button', { type: 'button', onclick: back }, 'Cancel');
  const form = h(
    'form',
    { class: 'ask reject-form', 'aria-label': `Reject ${r.label}` },
    h('label', { for: reason.id }, `Why are you rejecting ${r.label}?`),
    reason,
    h('p', { class: 'muted', id: `reject-why-hint-${n}` }, `${r.who} reads this, fixes the time and submits again.`),
    problem,
    h('div', { class: 'buttons' }, yes, no),
  );
  const say = (text: string | null) => {
    problem.textContent = text ?? '';
    problem.hidden = !text;
    reason.setAttribute('aria-invalid', text ? 'true' : 'false');
    reason.setAttribute('aria-describedby', text ? `${problem.id} reject-why-hint-${n}` : `reject-why-hint-${n}`);
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const bad = rejectReasonProblem(reason.value);
    say(bad);
    if (bad) {
      reason.focus();
      return;
    }
    yes.disabled = no.disabled = reason.disabled = true;
    const sent = await r.send(reason.value.trim());
    if (!sent && form.isConnected) {
      yes.disabled = no.disabled = reason.disabled = false;
      reason.focus();
    }
  });
  form.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || no.disabled) return;
    ev.preventDefault();
    back();
  });
  where.replaceChildren(form);
  reason.focus();
}
