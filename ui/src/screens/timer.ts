/** The main screen: project, description, Start/Stop, elapsed, totals, recent logs, screenshots. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { Project, Status } from '../ipc';
import { formatClock, formatDuration } from '../format';
import { ticking, trackingLine } from '../view';
import { recentList } from './recent';
import { shotList } from './shots';

export function timerScreen(ctx: Ctx): Screen {
  const project = h('select', { id: 'project', name: 'project' }, h('option', { value: '' }, 'Loading projects…'));
  const description = h('input', {
    id: 'description',
    name: 'description',
    type: 'text',
    placeholder: 'e.g. Checkout page',
    autocomplete: 'off',
  });
  const toggle = h('button', { type: 'button', class: 'big start' }, 'Start');
  const clock = h('div', { class: 'clock', role: 'timer', 'aria-labelledby': 'elapsed-label' }, '0:00:00');
  const line = h('p', { class: 'state', role: 'status', 'aria-live': 'polite' });
  const today = h('dd', { id: 'today' });
  const week = h('dd', { id: 'week' });
  const recent = recentList(ctx);
  const shots = shotList(ctx, () => loadLists());

  let projects: Project[] = [];
  let lastState = '';
  let busy = false;

  const fillProjects = (selected: string | null | undefined) => {
    fill(
      project,
      h('option', { value: '' }, 'No project'),
      projects.map((p) => h('option', { value: p.id, selected: p.id === selected }, p.name)),
    );
    if (selected) project.value = selected;
  };

  const loadProjects = async () => {
    try {
      projects = await ctx.ipc.projects();
      const s = ctx.status();
      const keep = s.tracking.state !== 'stopped' ? s.tracking.projectId : project.value || projects[0]?.id;
      fillProjects(keep);
    } catch (e) {
      fillProjects(null);
      ctx.report("Couldn't load the projects", e);
    }
  };

  const renderTick = () => {
    const s = ctx.status();
    const now = Date.now();
    const t = ticking(s, ctx.receivedAt(), now);
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
    toggle.disabled = busy;
    clock.classList.toggle('idle', t.state === 'idle');
    clock.classList.toggle('running', t.state === 'tracking');
    project.disabled = running;
    description.disabled = running;
    if (running) {
      if (t.projectId !== undefined && projects.length) project.value = t.projectId ?? '';
      if (t.description !== undefined && document.activeElement !== description) description.value = t.description;
    }
    line.textContent = trackingLine(t, ctx.locale);
    renderTick();
    const key = `${t.state}/${t.logId ?? ''}`;
    if (key !== lastState) {
      lastState = key;
      void loadLists();
    }
  };

  toggle.addEventListener('click', async () => {
    const running = ctx.status().tracking.state !== 'stopped';
    busy = true;
    toggle.disabled = true;
    try {
      const s = running
        ? await ctx.ipc.stop()
        : await ctx.ipc.start({ projectId: project.value || null, description: description.value.trim() });
      busy = false;
      ctx.setStatus(s);
      // Keyboard users go on from where they are: Stop is focused while
      // running, the description once stopped.
      (s.tracking.state !== 'stopped' ? toggle : description).focus();
    } catch (e) {
      busy = false;
      toggle.disabled = false;
      ctx.report(running ? "Couldn't stop the timer" : "Couldn't start the timer", e);
    }
  });

  // Enter in the description starts the timer, as the big button does. The
  // key is consumed here: Stop takes the focus once started, and the same
  // Enter's keypress must not press it.
  description.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    ev.preventDefault();
    if (!description.disabled && !toggle.disabled) toggle.click();
  });

  let loading: Promise<void> | null = null;
  const loadLists = (): Promise<void> => {
    loading ??= (async () => {
      try {
        const [logs, list] = await Promise.allSettled([ctx.ipc.recentLogs(), ctx.ipc.recentScreenshots()]);
        if (logs.status === 'fulfilled') recent.render(logs.value);
        else ctx.report("Couldn't load the recent time", logs.reason);
        if (list.status === 'fulfilled') shots.render(list.value);
        else ctx.report("Couldn't load the screenshots", list.reason);
      } finally {
        loading = null;
      }
    })();
    return loading;
  };

  const el = h(
    'div',
    { class: 'timer' },
    h(
      'section',
      { class: 'controls', 'aria-labelledby': 'timer-h' },
      h('h2', { id: 'timer-h', tabIndex: -1 }, 'Timer'),
      h('div', { class: 'field' }, h('label', { for: 'project' }, 'Project'), project),
      h('div', { class: 'field' }, h('label', { for: 'description' }, 'What are you working on?'), description),
      h(
        'div',
        { class: 'run' },
        toggle,
        h('div', null, h('span', { id: 'elapsed-label', class: 'muted' }, 'Elapsed'), clock),
      ),
      line,
      h('dl', { class: 'totals' }, h('div', null, h('dt', null, 'Today'), today), h('div', null, h('dt', null, 'This week'), week)),
    ),
    h('section', { 'aria-labelledby': 'logs-h' }, h('h2', { id: 'logs-h' }, 'Recent time'), recent.el),
    h('section', { 'aria-labelledby': 'shots-h' }, h('h2', { id: 'shots-h' }, 'Latest screenshots'), shots.el),
  );

  update(ctx.status());
  void loadProjects();
  // Opening the window: type what you are working on, Enter starts.
  setTimeout(() => {
    if (el.isConnected && !document.querySelector('[role="alertdialog"], dialog[open]')) {
      (description.disabled ? toggle : description).focus();
    }
  }, 0);
  return { el, update, tick: renderTick };
}

