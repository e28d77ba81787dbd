/**
 * "New project…" / "New task…" under a picker: a name, made at once, then
 * chosen in the picker. A button opens a small form rather than an option
 * in the select, so arrowing through the list never opens it by accident.
 */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import { toIpcError } from '../ipc';
import { errorText } from '../view';

export interface NewItemForm {
  el: HTMLElement;
  disable(on: boolean): void;
}

export interface NewItem<T> {
  /** `project` or `task`: ids and the action's words. */
  kind: string;
  /** "New project…" */
  open: string;
  /** "New project name" */
  label: string;
  /** Why a name can't be sent, checked before sending; null when it can. */
  problem(name: string): string | null;
  /** Makes it; a note to show (made on this computer, already there), or null. */
  create(name: string): Promise<{ item: T; note: string | null }>;
  /** Chooses it in the picker (which then takes the focus). */
  made(item: T): void;
}

export function newItemForm<T>(ctx: Ctx, o: NewItem<T>): NewItemForm {
  const id = `new-${o.kind}`;
  const action = `Couldn't add the ${o.kind}`;
  const open = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': id }, o.open);
  const name = h('input', {
    id: `${id}-name`,
    name: `${id}-name`,
    type: 'text',
    autocomplete: 'off',
    maxlength: 255,
    'aria-describedby': `${id}-problem`,
  });
  const problem = h('p', { id: `${id}-problem`, class: 'field-problem' });
  const add = h('button', { type: 'submit' }, 'Add');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { id, class: 'new-item', hidden: true },
    h('label', { for: `${id}-name` }, o.label),
    name,
    problem,
    h('div', { class: 'actions' }, add, cancel),
  );
  const note = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });

  const setProblem = (text: string | null) => {
    fill(problem, text ?? '');
    if (text) name.setAttribute('aria-invalid', 'true');
    else name.removeAttribute('aria-invalid');
  };
  const show = (on: boolean, focusOpen = true) => {
    form.hidden = !on;
    open.hidden = on;
    open.setAttribute('aria-expanded', String(on));
    setProblem(null);
    if (on) {
      fill(note);
      name.value = '';
      name.focus();
    } else if (focusOpen) {
      open.focus();
    }
  };

  open.addEventListener('click', () => show(true));
  cancel.addEventListener('click', () => show(false));
  form.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      show(false);
    }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const wrong = o.problem(name.value);
    if (wrong) {
      setProblem(wrong);
      name.focus();
      return;
    }
    add.disabled = true;
    try {
      const { item, note: said } = await o.create(name.value.trim());
      show(false, false);
      fill(note, said ?? '');
      o.made(item);
    } catch (err) {
      const ipcErr = toIpcError(action, err);
      if (ipcErr.code === 'signedOut') return void ctx.report(action, ipcErr);
      setProblem(errorText(action, ipcErr));
      name.focus();
    } finally {
      add.disabled = false;
    }
  });

  return {
    el: h('div', { class: 'new-item-wrap' }, open, form, note),
    disable(on) {
      open.disabled = on;
    },
  };
}
