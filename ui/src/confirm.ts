/**
 * A question before something that can't be undone, asked in place: the
 * question, a Yes button that says what happens, and Cancel. Cancel or
 * Escape puts back what was there and the focus where it was.
 */
import { h } from './dom';

export interface Question {
  question: string;
  /** The Yes button's words: "Submit", "Yes, delete". */
  yes: string;
  danger?: boolean;
  /** Does it; resolves false when it failed (the question goes away, what was there comes back). */
  run(): Promise<boolean>;
}

export function ask(where: HTMLElement, q: Question): void {
  const before = [...where.childNodes];
  const focus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const back = () => {
    where.replaceChildren(...before);
    if (focus?.isConnected) focus.focus();
  };
  const yes = h('button', { type: 'button', class: q.danger ? 'danger' : 'primary' }, q.yes);
  const no = h('button', { type: 'button', onclick: back }, 'Cancel');
  yes.addEventListener('click', async () => {
    yes.disabled = no.disabled = true;
    if (!(await q.run())) back();
  });
  const box = h('div', { class: 'ask', role: 'group', 'aria-label': q.question }, h('p', null, q.question), h('div', { class: 'buttons' }, yes, no));
  box.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || no.disabled) return;
    ev.preventDefault();
    back();
  });
  where.replaceChildren(box);
  yes.focus();
}
