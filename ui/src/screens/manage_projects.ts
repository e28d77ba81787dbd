/**
 * Settings → Projects, for managers and admins: the organization's projects
 * (archived ones are not listed, as the server does not list them), each
 * with Rename (in place: the name in a field, Save or Cancel, Escape
 * cancels, the server's refusal said at the field) and Archive (asked
 * first, since nobody can start time on it afterwards).
 */
import { h, fill, uid } from '../dom';
import type { Ctx } from '../app';
import type { Project } from '../ipc';
import { toIpcError } from '../ipc';
import { ask } from '../confirm';
import { archiveQuestion, errorText, projectNameProblem } from '../view';
import { loadFailed } from './failed';

export function manageProjects(ctx: Ctx): HTMLElement {
  const heading = h('h2', { id: 'projects-h', tabIndex: -1 }, 'Projects');
  const body = h('div', null, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  let projects: Project[] = [];
  /** Each listed project's Rename button, to put the focus back on. */
  const renames = new Map<string, HTMLButtonElement>();

  /** Lists the projects; `focus`: the project whose Rename takes the focus (the heading when it is gone). */
  const render = (focus?: string | null) => {
    renames.clear();
    if (!projects.length) {
      fill(body, h('p', { class: 'muted' }, 'No projects yet: add one with New project… on the Timer tab.'));
    } else {
      fill(body, h('ul', { class: 'rows manage-projects' }, projects.map(row)));
    }
    if (focus === undefined) return;
    const to = focus === null ? undefined : renames.get(focus);
    (to ?? heading).focus();
  };

  const row = (p: Project): HTMLLIElement => {
    const li = h('li', { class: 'row' });
    const rename = h('button', { type: 'button', 'aria-label': `Rename ${p.name}` }, 'Rename');
    const archive = h('button', { type: 'button', class: 'danger', 'aria-label': `Archive ${p.name}` }, 'Archive');
    renames.set(p.id, rename);
    rename.addEventListener('click', () => renameForm(li, p));
    archive.addEventListener('click', () =>
      ask(li, {
        question: archiveQuestion(p),
        yes: 'Archive',
        danger: true,
        run: () => archiveIt(p),
      }),
    );
    fill(
      li,
      h(
        'div',
        { class: 'row-top' },
        h('p', { class: 'row-what' }, h('span', { class: 'row-desc' }, p.name)),
        h('div', { class: 'row-actions' }, rename, ' ', archive),
      ),
    );
    return li;
  };

  const archiveIt = async (p: Project): Promise<boolean> => {
    const action = `Couldn't archive ${p.name}`;
    try {
      await ctx.ipc.archiveProject(p.id);
      ctx.clear(action);
      const at = projects.findIndex((x) => x.id === p.id);
      projects = projects.filter((x) => x.id !== p.id);
      ctx.say(`Archived ${p.name}.`);
      render(projects[Math.min(at, projects.length - 1)]?.id ?? null);
      return true;
    } catch (e) {
      ctx.report(action, e);
      return false;
    }
  };

  /** The row becomes a small form with the name in a field. */
  const renameForm = (li: HTMLLIElement, p: Project) => {
    const before = [...li.childNodes];
    const id = uid('rename');
    const name = h('input', {
      id,
      type: 'text',
      autocomplete: 'off',
      maxlength: 255,
      value: p.name,
      'aria-describedby': `${id}-problem`,
    });
    const problem = h('p', { id: `${id}-problem`, class: 'field-error' });
    const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const setProblem = (text: string | null) => {
      fill(problem, text ?? '');
      if (text) name.setAttribute('aria-invalid', 'true');
      else name.removeAttribute('aria-invalid');
    };
    const back = () => {
      li.replaceChildren(...before);
      renames.get(p.id)?.focus();
    };
    const form = h(
      'form',
      { class: 'rename-project' },
      h('label', { for: id }, `New name for ${p.name}`),
      name,
      problem,
      h('div', { class: 'actions' }, save, cancel),
    );
    cancel.addEventListener('click', back);
    form.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || cancel.disabled) return;
      e.preventDefault();
      back();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const wrong = projectNameProblem(name.value);
      if (wrong) {
        setProblem(wrong);
        name.focus();
        return;
      }
      const action = `Couldn't rename ${p.name}`;
      save.disabled = cancel.disabled = true;
      try {
        const renamed = await ctx.ipc.renameProject(p.id, name.value.trim());
        projects = projects.map((x) => (x.id === p.id ? renamed : x));
        ctx.say(renamed.name === p.name ? `${p.name} keeps its name.` : `Renamed ${p.name} to ${renamed.name}.`);
        render(p.id);
      } catch (err) {
        const ipcErr = toIpcError(action, err);
        if (ipcErr.code === 'signedOut') return void ctx.report(action, ipcErr);
        setProblem(errorText(action, ipcErr));
        name.focus();
      } finally {
        save.disabled = cancel.disabled = false;
      }
    });
    li.replaceChildren(form);
    name.focus();
    name.select();
  };

  const load = async () => {
    fill(body, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
    try {
      projects = await ctx.ipc.projects();
      render();
    } catch (e) {
      loadFailed(ctx, body, "Couldn't load the projects", e, () => void load());
    }
  };
  void load();

  return h(
    'section',
    { class: 'projects', 'aria-labelledby': 'projects-h' },
    heading,
    h('p', { class: 'muted' }, 'Archived projects keep their time in reports; nobody can start new time on them.'),
    body,
  );
}
