/**
 * A scripted stand-in for the Tauri side, for `npm run dev` in a plain
 * browser and for the UI tests. It implements every command of the IPC
 * contract over an in-memory state through `mockIPC`, and emits the events.
 * It is never part of the production bundle.
 */
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import type {
  CommandName,
  Commands,
  EventName,
  Events,
  IdlePrompt,
  IpcErrorPayload,
  StillWorking,
  LogEntry,
  PendingTimesheet,
  Project,
  Screenshot,
  ScreenshotView,
  Settings,
  Status,
  SyncStatus,
  Task,
  Timesheet,
  Tracking,
  User,
} from '../ipc';
import { addDays, localToday, weekStartOf } from '../format';
import { rejectReasonProblem } from '../approval_view';
import { demoWeek } from './approval_weeks';

export interface Scenario {
  signedIn?: boolean;
  user?: User;
  /** sign_in accepts only this password when set (anything non-empty otherwise). */
  password?: string;
  projects?: Project[];
  /** Every project's tasks. */
  tasks?: Task[];
  tracking?: Tracking;
  /** Counted seconds before anything the mock tracks itself. */
  todaySeconds?: number;
  weekSeconds?: number;
  sync?: SyncStatus;
  logs?: LogEntry[];
  screenshots?: Screenshot[];
  settings?: Settings;
  /** Timesheets by weekStart; a week not listed is an empty draft. */
  timesheets?: Record<string, Timesheet>;
  pending?: PendingTimesheet[];
  /** Who else opened the user's screenshots (any order; the command answers newest first). */
  views?: ScreenshotView[];
  idlePrompts?: IdlePrompt[];
  /** "Still working?" waiting for an answer. */
  stillWorking?: StillWorking | null;
  /** Milliseconds every command takes. */
  latencyMs?: number;
  /** The first call of each command named here fails with its error (as failNext, but from the start). */
  failFirst?: Partial<Record<CommandName, IpcErrorPayload>>;
}

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

export interface MockControl {
  /** Every command called, in order (event plumbing excluded). */
  calls: Call[];
  state: Required<Omit<Scenario, 'password' | 'latencyMs' | 'failFirst'>> & { password?: string; latencyMs: number };
  /** The next call of `cmd` fails with this error. */
  failNext(cmd: CommandName, error: IpcErrorPayload): void;
  emit<E extends EventName>(event: E, payload: Events[E]): Promise<void>;
  /** Goes idle: tracking -> idle since `minutesAgo` minutes ago (emits tracking-changed). */
  goIdle(minutesAgo: number): Promise<void>;
  /** Comes back from idle: opens the prompt and emits idle-prompt. */
  comeBack(): Promise<void>;
  /** The running timer has run `hoursAgo` hours: ask "Still working?" (as the event and in status). */
  askStillWorking(hoursAgo: number): Promise<void>;
  /** Sets the sync status (emits sync-changed). */
  setSync(s: Partial<SyncStatus>): Promise<void>;
}

const DEMO_USER: User = { name: 'Omar Odeh', email: 'omar@acme.io', server: 'https://stint.acme.io', canApprove: false, canManageProjects: false };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function thumb(hue: number, label: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200" viewBox="0 0 320 200">` +
    `<rect width="320" height="200" fill="hsl(${hue},35%,92%)"/>` +
    `<rect x="0" y="0" width="320" height="18" fill="hsl(${hue},30%,40%)"/>` +
    `<rect x="16" y="34" width="180" height="12" rx="3" fill="hsl(${hue},20%,60%)"/>` +
    `<rect x="16" y="56" width="280" height="8" rx="3" fill="hsl(${hue},15%,75%)"/>` +
    `<rect x="16" y="72" width="250" height="8" rx="3" fill="hsl(${hue},15%,75%)"/>` +
    `<rect x="16" y="88" width="265" height="8" rx="3" fill="hsl(${hue},15%,75%)"/>` +
    `<text x="16" y="180" font-family="sans-serif" font-size="14" fill="hsl(${hue},30%,30%)">${label}</text></svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** A plausible week of work for the demo and the tests. */
export function demoScenario(now = Date.now()): Scenario {
  const today = localToday(new Date(now));
  const ws = weekStartOf(today);
  const at = (day: string, hh: number, mm: number) => {
    const [y, m, d] = day.split('-').map(Number);
    return iso(new Date(y, m - 1, d, hh, mm).getTime());
  };
  const entries = [0, 1, 2].map((i) => {
    const day = addDays(ws, i + 1);
    return {
      id: `e${i}`,
      date: day,
      projectName: i === 1 ? 'Mobile app' : 'Website',
      description: i === 1 ? 'Push notifications' : 'Checkout page',
      startedAt: at(day, 9, 0),
      stoppedAt: at(day, 12, 30),
      seconds: 3.5 * 3600,
    };
  });
  return {
    signedIn: false,
    user: DEMO_USER,
    tasks: [{ id: 't-checkout', title: 'Checkout page', projectId: 'p-website' }],
    projects: [
      { id: 'p-website', name: 'Website' },
      { id: 'p-mobile', name: 'Mobile app' },
      { id: 'p-internal', name: 'Internal' },
    ],
    tracking: { state: 'stopped' },
    todaySeconds: 2 * 3600 + 5 * 60,
    weekSeconds: 12 * 3600 + 40 * 60,
    sync: { pending: 0, failed: 0, lastSync: iso(now - 4 * 60_000), offline: false, message: null },
    logs: [
      {
        id: 'l1',
        projectName: 'Website',
        description: 'Checkout page',
        startedAt: iso(now - 3 * 3600_000 + 95 * 60_000),
        stoppedAt: iso(now - 3 * 3600_000 + 107 * 60_000),
        kind: 'idle',
        seconds: 12 * 60,
        sync: 'synced',
      },
      {
        id: 'l2',
        projectName: 'Website',
        description: 'Checkout page',
        startedAt: iso(now - 3 * 3600_000),
        stoppedAt: iso(now - 3 * 3600_000 + 95 * 60_000),
        kind: 'tracked',
        seconds: 95 * 60,
        sync: 'synced',
      },
    ],
    screenshots: [
      { id: 's2', takenAt: iso(now - 20 * 60_000), thumbnail: thumb(210, 'checkout.tsx — editor'), uploaded: false },
      { id: 's1', takenAt: iso(now - 35 * 60_000), thumbnail: thumb(30, 'Pull request #212'), uploaded: true },
    ],
    settings: { idleThresholdSeconds: 300, screenshotIntervalSeconds: 600, screens: 'all', blur: false, startAtLogin: true, stillWorkingHours: 10, neverCapture: '', remindToStartMinutes: 5 },
    timesheets: {
      [ws]: {
        id: 'ts-current',
        weekStart: ws,
        weekEnd: addDays(ws, 6),
        status: 'draft',
        totalSeconds: entries.reduce((n, e) => n + e.seconds, 0),
        entries,
      },
    },
    pending: [
      {
        id: 'ts-jane',
        employeeName: 'Jane Roe',
        employeeEmail: 'jane@acme.io',
        weekStart: addDays(ws, -7),
        weekEnd: addDays(ws, -1),
        totalSeconds: 38 * 3600 + 15 * 60,
        submittedAt: iso(now - 86400_000),
      },
      {
        id: 'ts-omar',
        employeeName: 'Omar Odeh',
        employeeEmail: 'omar@acme.io',
        weekStart: addDays(ws, -7),
        weekEnd: addDays(ws, -1),
        totalSeconds: 40 * 3600,
        submittedAt: iso(now - 2 * 86400_000),
      },
    ],
    views: demoViews(now),
    idlePrompts: [],
    stillWorking: null,
    latencyMs: 0,
  };
}

/** Lena, the manager, looked at three screenshots yesterday afternoon and a thumbnail last week. */
function demoViews(now: number): ScreenshotView[] {
  const lena = { viewerId: 'u-lena', viewerName: 'Lena Lind' };
  const yesterday = new Date(now - 86400_000);
  const at = (d: Date, hh: number, mm: number) => iso(new Date(d.getFullYear(), d.getMonth(), d.getDate(), hh, mm).getTime());
  const lastWeek = new Date(now - 6 * 86400_000);
  return [
    { id: 'v1', screenshotId: 's-a', ...lena, viewedAt: at(yesterday, 14, 2), kind: 'thumb' },
    { id: 'v2', screenshotId: 's-a', ...lena, viewedAt: at(yesterday, 14, 3), kind: 'file' },
    { id: 'v3', screenshotId: 's-b', ...lena, viewedAt: at(yesterday, 14, 5), kind: 'file' },
    { id: 'v4', screenshotId: 's-c', ...lena, viewedAt: at(yesterday, 14, 9), kind: 'file' },
    { id: 'v5', screenshotId: 's-d', viewerId: 'u-ada', viewerName: 'Ada Admin', viewedAt: at(lastWeek, 10, 15), kind: 'thumb' },
  ];
}

function err(code: string, message: string): IpcErrorPayload {
  return { code, message };
}

/** Installs the mock backend; returns the handle tests and the console use. */
export function installMockBackend(scenario: Scenario = {}): MockControl {
  const base = demoScenario();
  const state: MockControl['state'] = {
    ...(base as Required<Scenario>),
    ...scenario,
    latencyMs: scenario.latencyMs ?? 0,
  };
  const failures = new Map<string, IpcErrorPayload>(Object.entries(scenario.failFirst ?? {}));
  const calls: Call[] = [];
  /** When the running timer last (re)started counting, and what it had counted before. */
  let countingSince: number | null = null;
  let counted = state.tracking.elapsedSeconds ?? 0;
  if (state.tracking.state === 'tracking') countingSince = Date.now();

  const running = () => (countingSince === null ? 0 : Math.floor((Date.now() - countingSince) / 1000));

  const tracking = (): Tracking =>
    state.tracking.state === 'stopped' ? { state: 'stopped' } : { ...state.tracking, elapsedSeconds: counted + running() };

  const status = (): Status => ({
    signedIn: state.signedIn,
    user: state.signedIn ? state.user : null,
    tracking: tracking(),
    todaySeconds: state.todaySeconds + running(),
    weekSeconds: state.weekSeconds + running(),
    sync: { ...state.sync },
    idlePrompts: [...state.idlePrompts],
    stillWorking: state.stillWorking,
  });

  /** Folds the running stretch into the totals (when counting stops). */
  const settle = () => {
    const r = running();
    counted += r;
    state.todaySeconds += r;
    state.weekSeconds += r;
    countingSince = null;
  };

  /** Files "Download my data" has saved. */
  let downloads = 0;
  const needSignIn = () => {
    if (!state.signedIn) throw err('signedOut', 'You are signed out. Sign in again.');
  };

  const projectName = (id: string | null | undefined) => state.projects.find((p) => p.id === id)?.name ?? null;

  const emitTracking = () => void emit('tracking-changed', tracking());

  const emptyWeek = (weekStart: string): Timesheet => ({
    id: null,
    weekStart,
    weekEnd: addDays(weekStart, 6),
    status: 'draft',
    totalSeconds: 0,
    entries: [],
  });

  type Handler = (args: Record<string, unknown>) => unknown;
  const handlers: { [C in CommandName]: (args: Commands[C][0] & Record<string, unknown>) => Commands[C][1] } = {
    status: () => status(),
    sign_in: (a) => {
      if (!/^https?:\/\/[^/\s]+/.test(a.server)) throw err('invalid', `"${a.server}" is not a server address`);
      if (!a.email.includes('@')) throw err('invalid', 'Enter your email address');
      if (!a.password || (state.password !== undefined && a.password !== state.password)) {
        throw err('refused', 'Wrong email or password');
      }
      state.signedIn = true;
      state.user = { ...state.user, email: a.email, server: a.server };
      return status();
    },
    use_this_computer_only: () => {
      state.signedIn = true;
      state.user = { ...state.user, server: null, canApprove: false, canManageProjects: true };
      return status();
    },
    sign_out: () => {
      if (state.tracking.state !== 'stopped') {
        settle();
        state.tracking = { state: 'stopped' };
      }
      state.signedIn = false;
      return status();
    },
    projects: () => {
      needSignIn();
      return state.projects;
    },
    create_project: (a) => {
      needSignIn();
      const name = a.name.trim();
      if (!name) throw err('invalid', 'A project name must not be empty');
      if (name.length > 255) throw err('invalid', 'A project name must be at most 255 characters, without control characters');
      const same = state.projects.find((p) => p.name.toLowerCase() === name.toLowerCase());
      if (same) return { project: same, made: 'existing' };
      const project = { id: `p-${state.projects.length + 1}-${Date.now()}`, name };
      state.projects = [...state.projects, project];
      return { project, made: state.sync.offline ? 'queued' : 'created' };
    },
    rename_project: (a) => {
      needSignIn();
      if (!state.user.canManageProjects) throw err('refused', 'only managers and admins may create or change projects and tasks in this organization');
      const p = state.projects.find((x) => x.id === a.id);
      if (!p) throw err('notFound', 'no such project');
      const name = a.name.trim();
      if (!name) throw err('invalid', 'A project name must not be empty');
      if (state.projects.some((x) => x !== p && x.name === name)) throw err('conflict', `a project named '${name}' already exists`);
      const renamed = { ...p, name };
      state.projects = state.projects.map((x) => (x === p ? renamed : x));
      return renamed;
    },
    archive_project: (a) => {
      needSignIn();
      if (!state.user.canManageProjects) throw err('refused', 'only managers and admins may create or change projects and tasks in this organization');
      if (!state.projects.some((x) => x.id === a.id)) throw err('notFound', 'no such project');
      state.projects = state.projects.filter((x) => x.id !== a.id);
      return null;
    },
    change_running: (a) => {
      needSignIn();
      if (state.tracking.state === 'stopped') throw err('conflict', 'The timer is not running.');
      state.tracking = { ...state.tracking, projectId: a.projectId, projectName: projectName(a.projectId), description: a.description };
      const log = state.logs.find((l) => l.id === state.tracking.logId);
      if (log) Object.assign(log, { projectName: projectName(a.projectId), description: a.description, sync: 'pending' });
      return status();
    },
    tasks: (a) => {
      needSignIn();
      return state.tasks.filter((t) => t.projectId === a.projectId);
    },
    create_task: (a) => {
      needSignIn();
      const title = a.title.trim();
      if (!title) throw err('invalid', 'A task title must not be empty');
      const same = state.tasks.find((t) => t.projectId === a.projectId && t.title.toLowerCase() === title.toLowerCase());
      if (same) return same;
      if (state.sync.offline) throw err('offline', "Can't reach the server: a new task is made while it answers");
      const task = { id: `t-${state.tasks.length + 1}-${Date.now()}`, title, projectId: a.projectId };
      state.tasks = [...state.tasks, task];
      return task;
    },
    start: (a) => {
      needSignIn();
      if (a.taskId && !state.tasks.some((t) => t.id === a.taskId && t.projectId === a.projectId)) {
        throw err('invalid', 'That task belongs to another project.');
      }
      if (state.tracking.state !== 'stopped') throw err('conflict', 'The timer is already running');
      const now = Date.now();
      counted = 0;
      countingSince = now;
      const logId = `log-${now}`;
      state.tracking = {
        state: 'tracking',
        logId,
        startedAt: iso(now),
        projectId: a.projectId,
        projectName: projectName(a.projectId),
        description: a.description,
      };
      state.logs = [
        {
          id: logId,
          projectName: projectName(a.projectId),
          description: a.description,
          startedAt: iso(now),
          stoppedAt: null,
          kind: 'tracked',
          seconds: 0,
          sync: 'pending',
        },
        ...state.logs,
      ];
      state.sync = { ...state.sync, pending: state.sync.pending + 1 };
      emitTracking();
      return status();
    },
    stop: () => {
      needSignIn();
      if (state.tracking.state === 'stopped') throw err('conflict', 'The timer is not running');
      const secs = counted + running();
      settle();
      const id = state.tracking.logId;
      state.logs = state.logs.map((l) => (l.id === id ? { ...l, stoppedAt: iso(Date.now()), seconds: secs } : l));
      state.tracking = { state: 'stopped' };
      state.stillWorking = null;
      emitTracking();
      return status();
    },
    answer_idle: (a) => {
      needSignIn();
      const p = state.idlePrompts.find((x) => x.idleLogId === a.idleLogId);
      if (!p) throw err('notFound', 'That idle time was already answered');
      state.idlePrompts = state.idlePrompts.filter((x) => x !== p);
      const secs = Math.floor((Date.parse(p.to) - Date.parse(p.from)) / 1000);
      if (a.answer === 'keep') {
        counted += secs;
        state.todaySeconds += secs;
        state.weekSeconds += secs;
      }
      if (a.answer === 'stop') {
        settle();
        state.tracking = { state: 'stopped' };
        emitTracking();
      }
      return status();
    },
    still_working: () => {
      needSignIn();
      if (!state.stillWorking) throw err('notFound', '“Still working?” has already been answered.');
      state.stillWorking = null;
      return status();
    },
    recent_logs: () => {
      needSignIn();
      const id = state.tracking.logId;
      return state.logs.map((l) => (l.id === id && !l.stoppedAt ? { ...l, seconds: counted + running() } : l));
    },
    recent_screenshots: () => {
      needSignIn();
      return state.screenshots;
    },
    delete_screenshot: (a) => {
      needSignIn();
      const s = state.screenshots.find((x) => x.id === a.id);
      if (!s) throw err('notFound', 'That screenshot is gone');
      if (s.uploaded) throw err('conflict', 'That screenshot was already uploaded');
      state.screenshots = state.screenshots.filter((x) => x !== s);
      return null;
    },
    settings: () => state.settings,
    save_settings: (a) => {
      const s = a.settings;
      if (!(s.idleThresholdSeconds >= 60 && s.idleThresholdSeconds <= 3600)) {
        throw err('invalid', 'The idle threshold must be between 1 and 60 minutes');
      }
      state.settings = { ...s };
      return state.settings;
    },
    timesheet: (a) => {
      needSignIn();
      const ws = weekStartOf(a.weekStart ?? localToday());
      return state.timesheets[ws] ?? emptyWeek(ws);
    },
    submit_timesheet: (a) => {
      needSignIn();
      const t = Object.values(state.timesheets).find((x) => x.id === a.id);
      if (!t) throw err('notFound', 'No such timesheet');
      if (t.status !== 'draft' && t.status !== 'rejected') throw err('conflict', 'This timesheet was already submitted');
      t.status = 'submitted';
      return t;
    },
    pending_approvals: () => {
      needSignIn();
      return state.pending;
    },
    approve: (a) => {
      needSignIn();
      if (!state.pending.some((p) => p.id === a.id)) throw err('notFound', 'That timesheet is no longer waiting');
      state.pending = state.pending.filter((p) => p.id !== a.id);
      return null;
    },
    reject: (a) => {
      needSignIn();
      if (!state.pending.some((p) => p.id === a.id)) throw err('notFound', 'That timesheet is no longer waiting');
      const problem = rejectReasonProblem(a.reason ?? '');
      if (problem) throw err('invalid', problem);
      state.pending = state.pending.filter((p) => p.id !== a.id);
      return null;
    },
    approval_week: (a) => {
      needSignIn();
      const p = state.pending.find((x) => x.id === a.id);
      if (!p) throw err('notFound', 'That week is no longer waiting for a decision.');
      return demoWeek(p);
    },
    screenshot_views: () => {
      needSignIn();
      return [...state.views].sort((a, b) => b.viewedAt.localeCompare(a.viewedAt));
    },
    download_my_data: () => {
      needSignIn();
      // As the app names them: today's file, then -2, -3… beside it.
      downloads += 1;
      const name = `stint-my-data-${localToday()}${downloads > 1 ? `-${downloads}` : ''}.zip`;
      return { path: `/home/you/Downloads/${name}`, shown: `~/Downloads/${name}` };
    },
  };

  mockIPC(
    async (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: JSON.parse(JSON.stringify(args)) });
      if (state.latencyMs) await new Promise((r) => setTimeout(r, state.latencyMs));
      const f = failures.get(cmd);
      if (f) {
        failures.delete(cmd);
        throw f;
      }
      const handler = (handlers as unknown as Record<string, Handler | undefined>)[cmd];
      if (!handler) throw `command ${cmd} not found`;
      return handler(args);
    },
    { shouldMockEvents: true },
  );

  const control: MockControl = {
    calls,
    state,
    failNext(cmd, error) {
      failures.set(cmd, error);
    },
    emit(event, payload) {
      return emit(event, payload);
    },
    async goIdle(minutesAgo) {
      if (state.tracking.state !== 'tracking') throw new Error('not tracking');
      const since = Date.now() - minutesAgo * 60_000;
      // The tracked time stops at the moment input stopped.
      settle();
      const back = Math.min(counted, minutesAgo * 60);
      counted -= back;
      state.todaySeconds -= back;
      state.weekSeconds -= back;
      state.tracking = { ...state.tracking, state: 'idle', logId: `idle-${since}`, idleSince: iso(since) };
      await emit('tracking-changed', tracking());
    },
    async comeBack() {
      if (state.tracking.state !== 'idle' || !state.tracking.idleSince) throw new Error('not idle');
      const prompt: IdlePrompt = { idleLogId: state.tracking.logId!, from: state.tracking.idleSince, to: iso(Date.now()) };
      state.idlePrompts = [...state.idlePrompts, prompt];
      state.tracking = { ...state.tracking, state: 'tracking', logId: `resumed-${Date.now()}`, idleSince: undefined };
      countingSince = Date.now();
      await emit('tracking-changed', tracking());
      await emit('idle-prompt', prompt);
    },
    async askStillWorking(hoursAgo) {
      if (state.tracking.state === 'stopped') throw new Error('not tracking');
      const q: StillWorking = { runningSince: iso(Date.now() - hoursAgo * 3600_000), stopsAt: iso(Date.now() + 15 * 60_000) };
      state.stillWorking = q;
      await emit('still-working', q);
    },
    async setSync(s) {
      state.sync = { ...state.sync, ...s };
      await emit('sync-changed', { ...state.sync });
    },
  };
  return control;
}
