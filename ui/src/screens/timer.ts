/** The main screen: project, description, Start/Stop, elapsed, totals, recent logs, screenshots. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import type { LogEntry, Project, Screenshot, Status } from '../ipc';
import { formatClock, formatDuration, formatTime } from '../format';
import { logDuration, logSync, span, ticking, trackingLine } from '../view';

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
  const logsBody = h('div', { class: 'logs' });
  const shotsBody = h('div', { class: 'shots' });

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

  /** The open log's duration cell, ticking from what it said when the list arrived. */
  let live: { cell: HTMLElement; seconds: number; at: number } | null = null;

  const renderTick = () => {
    const s = ctx.status();
    const now = Date.now();
    const t = ticking(s, ctx.receivedAt(), now);
    clock.textContent = formatClock(t.elapsed);
    today.textContent = formatDuration(t.today);
    week.textContent = formatDuration(t.week);
    if (live && s.tracking.state === 'tracking') {
      live.cell.textContent = formatDuration(live.seconds + Math.floor((now - live.at) / 1000));
    }
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

  // -------------------------------------------------------- recent logs

  const renderLogs = (logs: LogEntry[]) => {
    live = null;
    if (!logs.length) {
      fill(logsBody, h('p', { class: 'muted' }, 'No time tracked yet today.'));
      return;
    }
    fill(
      logsBody,
      h(
        'table',
        null,
        h(
          'thead',
          null,
          h('tr', null, ['Time', 'Project', 'Description', 'Duration', 'Sync'].map((c) => h('th', { scope: 'col' }, c))),
        ),
        h(
          'tbody',
          null,
          logs.map((l) =>
            h(
              'tr',
              { class: l.kind === 'idle' ? 'idle' : undefined },
              h('td', null, span(l.startedAt, l.stoppedAt, ctx.locale)),
              h('td', null, l.projectName ?? 'No project'),
              h('td', null, l.description || '—'),
              durationCell(l),
              h('td', { class: `sync-${l.sync}` }, logSync(l)),
            ),
          ),
        ),
      ),
    );
  };

  const durationCell = (l: LogEntry) => {
    const cell = h('td', null, logDuration(l));
    if (l.stoppedAt === null && l.kind === 'tracked') live = { cell, seconds: l.seconds, at: Date.now() };
    return cell;
  };

  // -------------------------------------------------------- screenshots

  const renderShots = (shots: Screenshot[]) => {
    if (!shots.length) {
      fill(shotsBody, h('p', { class: 'muted' }, 'No screenshots yet.'));
      return;
    }
    fill(
      shotsBody,
      h(
        'ul',
        { class: 'shot-list' },
        shots.map((s) => {
          const at = formatTime(s.takenAt, ctx.locale);
          const actions = h('div', { class: 'shot-actions' });
          const ask = () =>
            fill(
              actions,
              s.uploaded
                ? h('span', { class: 'muted' }, 'Uploaded')
                : h(
                    'button',
                    { type: 'button', class: 'link danger', 'aria-label': `Delete screenshot taken at ${at}`, onclick: confirm },
                    'Delete',
                  ),
            );
          const confirm = () => {
            const yes = h(
              'button',
              {
                type: 'button',
                class: 'danger',
                onclick: async () => {
                  yes.disabled = true;
                  try {
                    await ctx.ipc.deleteScreenshot(s.id);
                    ctx.say(`Deleted the screenshot taken at ${at} and its time.`);
                    await loadLists();
                  } catch (e) {
                    ask();
                    ctx.report("Couldn't delete the screenshot", e);
                  }
                },
              },
              'Yes, delete',
            );
            fill(
              actions,
              h('span', null, 'Delete this screenshot and the time it covers?'),
              yes,
              h('button', { type: 'button', class: 'link', onclick: ask }, 'Cancel'),
            );
            yes.focus();
          };
          ask();
          return h(
            'li',
            null,
            h('figure', null, h('img', { src: s.thumbnail, alt: `Screenshot taken at ${at}`, width: 160 }), h('figcaption', null, at)),
            actions,
          );
        }),
      ),
    );
  };

  let loading: Promise<void> | null = null;
  const loadLists = (): Promise<void> => {
    loading ??= (async () => {
      try {
        const [logs, shots] = await Promise.allSettled([ctx.ipc.recentLogs(), ctx.ipc.recentScreenshots()]);
        if (logs.status === 'fulfilled') renderLogs(logs.value);
        else ctx.report("Couldn't load the recent time", logs.reason);
        if (shots.status === 'fulfilled') renderShots(shots.value);
        else ctx.report("Couldn't load the screenshots", shots.reason);
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
    h('section', { 'aria-labelledby': 'logs-h' }, h('h2', { id: 'logs-h' }, 'Recent time'), logsBody),
    h('section', { 'aria-labelledby': 'shots-h' }, h('h2', { id: 'shots-h' }, 'Latest screenshots'), shotsBody),
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

