/**
 * "New project…" under the project picker: a name, made at once (on this
 * computer when the server does not answer), then chosen in the picker.
 * A button opens a small form rather than an option in the select, so
 * arrowing through the list never opens it by accident.
 */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { Project } from '../ipc';
import { toIpcError } from '../ipc';
import { errorText, newProjectNote, projectNameProblem } from '../view';

export interface NewProjectForm {
  el: HTMLElement;
  disable(on: boolean): void;
}

export function newProjectForm(ctx: Ctx, made: (p: Project) => void, focusPicker: () => void): NewProjectForm {
  const open = h('button', { type: 'button', class: 'link', 'aria-expanded': 'false', 'aria-controls': 'new-project' }, 'New project…');
  const name = h('input', {
    id: 'new-project-name',
    name: 'new-project-name',
    type: 'text',
    autocomplete: 'off',
    maxlength: 255,
    'aria-describedby': 'new-project-problem',
  });
  const problem = h('p', { id: 'new-project-problem', class: 'field-problem' });
  const add = h('button', { type: 'submit' }, 'Add');
  const cancel = h('button', { type: 'button' }, 'Cancel');
  const form = h(
    'form',
    { id: 'new-project', class: 'new-project', hidden: true },
    h('label', { for: 'new-project-name' }, 'New project name'),
    name,
    problem,
    h('div', { class: 'actions' }, add, cancel),
  );
  const note = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });

  const show = (on: boolean) => {
    form.hidden = !on;
    open.hidden = on;
    open.setAttribute('aria-expanded', String(on));
    setProblem(null);
    if (on) {
      fill(note);
      name.value = '';
      name.focus();
    } else {
      open.focus();
    }
  };
  const setProblem = (text: string | null) => {
    fill(problem, text ?? '');
    if (text) name.setAttribute('aria-invalid', 'true');
    else name.removeAttribute('aria-invalid');
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
    const wrong = projectNameProblem(name.value);
    if (wrong) {
      setProblem(wrong);
      name.focus();
      return;
    }
    add.disabled = true;
    try {
      const n = await ctx.ipc.createProject(name.value.trim());
      form.hidden = true;
      open.hidden = false;
      open.setAttribute('aria-expanded', 'false');
      fill(note, newProjectNote(n) ?? '');
      made(n.project);
      focusPicker();
    } catch (err) {
      const ipcErr = toIpcError("Couldn't add the project", err);
      if (ipcErr.code === 'signedOut') return void ctx.report("Couldn't add the project", ipcErr);
      setProblem(errorText("Couldn't add the project", ipcErr));
      name.focus();
    } finally {
      add.disabled = false;
    }
  });

  return {
    el: h('div', { class: 'new-project-wrap' }, open, form, note),
    disable(on) {
      open.disabled = on;
    },
  };
}
