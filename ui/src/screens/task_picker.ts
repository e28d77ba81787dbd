/**
 * The task picker under the project picker: the chosen project's tasks,
 * "No task", and "New task…". Hidden while no project is chosen (a task
 * belongs to one); reloaded when the project changes.
 */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { Task } from '../ipc';
import { newItemForm } from './new_item';
import { loadFailed } from './failed';
import { taskTitleProblem } from '../view';

export interface TaskPicker {
  el: HTMLElement;
  /** The chosen task's id, or null for "No task". */
  value(): string | null;
  /** The chosen task's title, or null. */
  title(): string | null;
  /** Shows `projectId`'s tasks (none and hidden for no project). */
  setProject(projectId: string | null): void;
  disable(on: boolean): void;
}

export function taskPicker(ctx: Ctx): TaskPicker {
  const select = h('select', { id: 'task', name: 'task' }, h('option', { value: '' }, 'No task'));
  const problem = h('div', { class: 'field-problem' });
  let project: string | null = null;
  let tasks: Task[] = [];
  let disabled = false;

  const render = (selected: string) => {
    fill(
      select,
      h('option', { value: '' }, 'No task'),
      tasks.map((t) => h('option', { value: t.id }, t.title)),
    );
    select.value = selected;
  };

  const load = async (projectId: string) => {
    fill(problem);
    select.disabled = true;
    try {
      const listed = await ctx.ipc.tasks(projectId);
      if (project !== projectId) return; // the project changed meanwhile
      tasks = listed;
      render('');
    } catch (e) {
      if (project !== projectId) return;
      tasks = [];
      render('');
      loadFailed(ctx, problem, "Couldn't load the tasks", e, () => void load(projectId));
    } finally {
      select.disabled = disabled;
    }
  };

  const newTask = newItemForm<Task>(ctx, {
    kind: 'task',
    open: 'New task…',
    label: 'New task title',
    problem: taskTitleProblem,
    create: async (title) => {
      if (!project) throw { code: 'invalid', message: 'Choose the project first.' };
      return { item: await ctx.ipc.createTask(project, title), note: null };
    },
    made: (t) => {
      if (!tasks.some((q) => q.id === t.id)) tasks = [...tasks, t];
      render(t.id);
      select.focus();
    },
  });

  const el = h(
    'div',
    { class: 'field', hidden: true },
    h('label', { for: 'task' }, 'Task'),
    select,
    problem,
    newTask.el,
  );

  return {
    el,
    value: () => (project && select.value) || null,
    title: () => tasks.find((t) => project && t.id === select.value)?.title ?? null,
    setProject(projectId) {
      if (projectId === project) return;
      project = projectId;
      tasks = [];
      render('');
      el.hidden = !projectId;
      if (projectId) void load(projectId);
    },
    disable(on) {
      disabled = on;
      select.disabled = on;
      newTask.disable(on);
    },
  };
}
