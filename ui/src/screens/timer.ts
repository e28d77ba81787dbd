/** The main screen: project, description, Start/Stop, elapsed, totals, recent logs, screenshots. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { LogEntry, Project, Status } from '../ipc';
import { formatClock, formatDuration, formatTime } from '../format';
import { initialProject, newProjectNote, projectNameProblem, ticking, trackingLine } from '../view';
import { loadFailed } from './failed';
import { newItemForm } from './new_item';
import { taskPicker } from './task_picker';
import { recentPairs } from './recent_pairs';
import { recentList } from './recent';
import { shotList } from './shots';

const LAST_PROJECT = 'stint.lastProject';

export interface ProjectPicker {
  /** The label and select, with a way to retry when the list failed to load. */
  el: HTMLElement;
  /** False until the list has loaded (or failed): Start waits for it. */
  ready(): boolean;
  /** The chosen project's id, or null for "No project". */
  value(): string | null;
  /** Shows `id` as chosen (the running log's project, or a recent entry's). */
  choose(id: string | null | undefined): void;
  /** The id of the project named `name`, if the user may still track on it. */
  idOf(name: string): string | null;
  /** The name of project `id`, if the user may still track on it. */
  nameOf(id: string): string | null;
  /** Remembers the project the timer was started on, for the next Start. */
  remember(id: string | null): void;
  disable(on: boolean): void;
}

/**
 * The project picker, on its own so it can grow ("New project…", tasks)
 * without touching the rest of the screen. `changed` runs when the list
 * arrives, so the screen can enable Start.
 */
export function projectPicker(ctx: Ctx, changed: () => void, picked: (id: string | null) => void = () => {}): ProjectPicker {
  const select = h('select', { id: 'project', name: 'project', disabled: true }, h('option', { value: '' }, 'Loading projects…'));
  const problem = h('div', { class: 'field-problem' });
  let projects: Project[] = [];
  let loaded = false;

  const remembered = () => {
    try {
      return localStorage.getItem(LAST_PROJECT);
    } catch {
      return null; // storage off: nothing remembered, nothing lost
    }
  };

  const render = (selected: string) => {
    fill(
      select,
      h('option', { value: '' }, 'No project'),
      projects.map((p) => h('option', { value: p.id }, p.name)),
    );
    select.value = selected;
    picked(select.value || null);
  };

  const load = async () => {
    fill(problem);
    try {
      projects = await ctx.ipc.projects();
      const t = ctx.status().tracking;
      render(t.state !== 'stopped' ? (t.projectId ?? '') : initialProject(projects, remembered()));
    } catch (e) {
      render('');
      loadFailed(ctx, problem, "Couldn't load the projects", e, () => void load());
    } finally {
      loaded = true;
      select.disabled = false;
      changed();
    }
  };
  void load();
  select.addEventListener('change', () => picked(select.value || null));

  // A project made here is chosen at once (and remembered like any other
  // when the timer starts on it).
  const newProject = newItemForm<Project>(ctx, {
    kind: 'project',
    open: 'New project…',
    label: 'New project name',
    problem: projectNameProblem,
    create: async (name) => {
      const n = await ctx.ipc.createProject(name);
      return { item: n.project, note: newProjectNote(n) };
    },
    made: (p) => {
      if (!projects.some((q) => q.id === p.id)) projects = [...projects, p];
      render(p.id);
      changed();
      select.focus();
    },
  });
  newProject.disable(true);

  return {
    el: h('div', { class: 'field' }, h('label', { for: 'project' }, 'Project'), select, problem, newProject.el),
    ready: () => loaded,
    value: () => select.value || null,
    choose(id) {
      if (!loaded) return;
      select.value = id ?? '';
      picked(select.value || null);
    },
    idOf: (name) => projects.find((p) => p.name === name)?.id ?? null,
    nameOf: (id) => projects.find((p) => p.id === id)?.name ?? null,
    remember(id) {
      try {
        if (id) localStorage.setItem(LAST_PROJECT, id);
        else localStorage.removeItem(LAST_PROJECT);
      } catch {
        // storage off: the next Start just doesn't remember
      }
    },
    disable(on) {
      select.disabled = on || !loaded;
      newProject.disable(on || !loaded);
    },
  };
}

export function timerScreen(ctx: Ctx): Screen {
  const tasks = taskPicker(ctx);
  const picker = projectPicker(
    ctx,
    () => {
      pairs.render((id) => picker.nameOf(id) !== null);
      update(ctx.status());
    },
    (id) => tasks.setProject(id),
  );
  const pairs = recentPairs((p) => {
    picker.choose(p.projectId);
    void start(p.projectId, description.value.trim(), p.taskId, p.taskTitle);
  });
  const description = h('input', {
    id: 'description',
    name: 'description',
    type: 'text',
    placeholder: 'e.g. Checkout page',
    autocomplete: 'off',
  });
  const fields = h(
    'div',
    { class: 'fields' },
    picker.el,
    tasks.el,
    pairs.el,
    h('div', { class: 'field' }, h('label', { for: 'description' }, 'What are you working on?'), description),
  );
  const toggle = h('button', { type: 'button', class: 'big start' }, 'Start');
  const since = h('span', { id: 'elapsed-label', class: 'muted' }, 'Elapsed');
  const clock = h('div', { class: 'clock', role: 'timer', 'aria-labelledby': 'elapsed-label' }, '0:00:00');
  const line = h('p', { class: 'state', role: 'status', 'aria-live': 'polite' });
  const today = h('dd', { id: 'today' });
  const week = h('dd', { id: 'week' });
  const recent = recentList(ctx, (l) => void cont(l));
  const shots = shotList(ctx, () => loadLists());
  const card = h('section', { class: 'controls', 'aria-labelledby': 'timer-h' });

  let lastState = '';
  let busy = false;
  /** Changing what the running timer is about: the fields show again. */
  let editing = false;
  const change = h('button', { type: 'button', class: 'link', hidden: true }, 'Change project or description');
  const save = h('button', { type: 'button', class: 'primary' }, 'Save change');
  const keep = h('button', { type: 'button' }, 'Cancel');
  const editActions = h('div', { class: 'actions', hidden: true }, save, keep);

  const renderTick = () => {
    const s = ctx.status();
    const t = ticking(s, ctx.receivedAt(), Date.now());
    clock.textContent = formatClock(t.elapsed);
    today.textContent = formatDuration(t.today);
    week.textContent = formatDuration(t.week);
    recent.tick(s.tracking.state === 'tracking');
  };

  const update = (s: Status) => {
    const t = s.tracking;
    const running = t.state !== 'stopped';
    toggle.textContent = running ? 'Stop' : 'Start';
    toggle.className = `big ${running ? 'stop' : 'start'}`;
    // Start waits for the project list, so it never starts on a project the person did not see.
    toggle.disabled = busy || (!running && !picker.ready());
    card.className = `controls ${t.state}`;
    // What runs is said above the clock; the fields come back once stopped,
    // or while the person changes what runs.
    if (!running) editing = false;
    const locked = running && !editing;
    fields.hidden = locked;
    picker.disable(locked);
    tasks.disable(locked);
    description.disabled = locked;
    change.hidden = !locked;
    editActions.hidden = !editing;
    if (locked) {
      picker.choose(t.projectId);
      if (t.description !== undefined) description.value = t.description;
    }
    since.textContent = running && t.startedAt ? `Since ${formatTime(t.startedAt, ctx.locale)}` : 'Elapsed';
    line.textContent = trackingLine(t, ctx.locale);
    renderTick();
    const key = `${t.state}/${t.logId ?? ''}`;
    if (key !== lastState) {
      lastState = key;
      void loadLists();
    }
  };

  const start = async (projectId: string | null, what: string, taskId: string | null = null, taskTitle: string | null = null) => {
    busy = true;
    toggle.disabled = true;
    try {
      const s = await ctx.ipc.start({ projectId, taskId, description: what });
      picker.remember(projectId);
      const projectName = projectId ? picker.nameOf(projectId) : null;
      if (projectId && projectName) pairs.add({ projectId, projectName, taskId, taskTitle });
      ctx.clear("Couldn't start the timer");
      busy = false;
      ctx.setStatus(s);
      toggle.focus(); // keyboard users go on from Stop
    } catch (e) {
      busy = false;
      update(ctx.status());
      ctx.report("Couldn't start the timer", e);
    }
  };

  const stop = async () => {
    busy = true;
    toggle.disabled = true;
    try {
      const s = await ctx.ipc.stop();
      ctx.clear("Couldn't stop the timer");
      busy = false;
      ctx.setStatus(s);
      description.focus(); // once stopped, type the next thing
    } catch (e) {
      busy = false;
      update(ctx.status());
      ctx.report("Couldn't stop the timer", e);
    }
  };

  /** Continue: start again on a recent entry's project and description. */
  const cont = async (l: LogEntry) => {
    // Logs carry the project's name only; a project no longer in the list can't be tracked on.
    const id = l.projectName ? picker.idOf(l.projectName) : null;
    if (l.projectName && !id) {
      ctx.report("Couldn't continue", { code: 'notFound', message: `${l.projectName} is no longer one of your projects` });
      return;
    }
    picker.choose(id);
    description.value = l.description;
    await start(id, l.description);
  };

  toggle.addEventListener('click', () => {
    if (ctx.status().tracking.state !== 'stopped') void stop();
    else void start(picker.value(), description.value.trim(), tasks.value(), tasks.title());
  });

  const endEdit = (focus: HTMLElement) => {
    editing = false;
    update(ctx.status());
    focus.focus();
  };
  change.addEventListener('click', () => {
    editing = true;
    update(ctx.status());
    description.focus();
  });
  keep.addEventListener('click', () => endEdit(change));
  const saveChange = async () => {
    save.disabled = true;
    try {
      const s = await ctx.ipc.changeRunning({ projectId: picker.value(), taskId: tasks.value(), description: description.value.trim() });
      ctx.clear("Couldn't change the running timer");
      editing = false;
      ctx.setStatus(s);
      change.focus();
    } catch (e) {
      ctx.report("Couldn't change the running timer", e);
    } finally {
      save.disabled = false;
    }
  };
  save.addEventListener('click', () => void saveChange());
  fields.addEventListener('keydown', (ev) => {
    if (editing && ev.key === 'Escape') {
      ev.preventDefault();
      endEdit(change);
    }
  });

  // Enter in the description starts the timer, as the big button does (or
  // saves a change of the running one). The key is consumed here: Stop
  // takes the focus once started, and the same Enter's keypress must not
  // press it.
  description.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    if (editing) void saveChange();
    else if (!description.disabled && !toggle.disabled) toggle.click();
  });

  let loading: Promise<void> | null = null;
  const loadLists = (): Promise<void> => {
    loading ??= (async () => {
      try {
        const running = ctx.status().tracking.state !== 'stopped';
        await Promise.all([recent.load(running), shots.load()]);
      } finally {
        loading = null;
      }
    })();
    return loading;
  };

  fill(
    card,
    h('h2', { id: 'timer-h', tabIndex: -1 }, 'Timer'),
    fields,
    editActions,
    line,
    change,
    h('div', { class: 'run' }, h('div', { class: 'elapsed' }, since, clock), toggle),
    h('dl', { class: 'totals' }, h('div', null, h('dt', null, 'Today'), today), h('div', null, h('dt', null, 'This week'), week)),
  );
  const el = h(
    'div',
    { class: 'timer' },
    card,
    h('section', { 'aria-labelledby': 'logs-h' }, h('h2', { id: 'logs-h' }, 'Recent time'), recent.el),
    h('section', { 'aria-labelledby': 'shots-h' }, h('h2', { id: 'shots-h' }, 'Latest screenshots'), shots.el),
  );

  update(ctx.status());
  // Opening the window: type what you are working on, Enter starts.
  setTimeout(() => {
    if (el.isConnected && !document.querySelector('[role="alertdialog"], dialog[open]')) {
      (description.disabled ? toggle : description).focus();
    }
  }, 0);
  return { el, update, tick: renderTick };
}
