/**
 * The one way the UI talks to Rust: the IPC contract between `ui/` and
 * `src-tauri/`.
 *
 * Every command below is a `#[tauri::command]` the Tauri side implements,
 * named in snake_case (`sign_in`, `answer_idle`, ...). Arguments travel as
 * one JSON object whose keys are camelCase; Tauri maps them onto the Rust
 * parameters of the same name in snake_case (`idleLogId` -> `idle_log_id`).
 * Structs are `#[serde(rename_all = "camelCase")]`, enums are lower camelCase
 * strings (`"stopped"`, `"inReview"`). Instants are RFC 3339 strings in UTC
 * (`"2026-06-08T07:12:00Z"`), calendar days are `"YYYY-MM-DD"` in the user's
 * time zone, durations are whole seconds.
 *
 * A command that fails returns `Err(IpcErrorPayload)`: `{code, message}`, the
 * message in words a person can read ("Can't reach stint.example.com").
 * `call` turns any rejection into an {@link IpcError}; the UI shows its
 * message and never swallows it.
 *
 * Events are emitted by Rust with `app.emit(name, payload)` to every window;
 * see {@link Events}.
 */
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

// ---------------------------------------------------------------- data types

/** Who is signed in. */
export interface User {
  name: string;
  email: string;
  /** The server's base URL, or null for "this computer only" (embedded server). */
  server: string | null;
  /** True when the user has direct reports whose timesheets they approve. */
  canApprove: boolean;
  /** True for managers and admins (and the one person of "this computer only"): Settings offers renaming and archiving projects. */
  canManageProjects: boolean;
}

export type TrackingState = 'stopped' | 'tracking' | 'idle';

/**
 * The timer. `stopped`: nothing runs. `tracking`: counting time. `idle`: the
 * user has been away longer than the idle threshold; an IDLE log is open and
 * time is not counted until they come back and answer the idle prompt.
 */
export interface Tracking {
  state: TrackingState;
  /** The open log (TRACKED, RESUMED or IDLE); absent when stopped. */
  logId?: string;
  /** When this timer run was started with Start (not when the current log opened). */
  startedAt?: string;
  /** Counted seconds of this timer run so far (idle time only once kept); the UI ticks it on while `tracking`. */
  elapsedSeconds?: number;
  projectId?: string | null;
  projectName?: string | null;
  description?: string;
  /** When idle: the moment input stopped. */
  idleSince?: string;
  /** Why the timer changed on its own, in words: "Stopped: you started the timer on another computer". */
  message?: string;
}

export interface SyncStatus {
  /** Items waiting in the outbox to reach the server. */
  pending: number;
  /** Items the server refused (kept, with the server's message, never blocking the rest). */
  failed: number;
  /** Last time the server acknowledged everything sent. */
  lastSync?: string | null;
  /** True while the server cannot be reached; the UI shows an offline banner. */
  offline: boolean;
  /** In words: why offline ("Can't reach stint.example.com; retrying in 30 s"), or the last refusal. */
  message?: string | null;
}

/** An idle stretch the user has not decided about yet. */
export interface IdlePrompt {
  idleLogId: string;
  /** When input stopped. */
  from: string;
  /** When input came back. */
  to: string;
}

/** "Still working?": the timer has run for hours; unanswered, it stops at the last input. */
export interface StillWorking {
  /** Since when it has run (the start, or the last "yes"). */
  runningSince: string;
  /** When it stops at the last input without an answer. */
  stopsAt: string;
}

export interface Status {
  signedIn: boolean;
  user: User | null;
  tracking: Tracking;
  /** Counted seconds of today (the user's day), including the running log up to now. */
  todaySeconds: number;
  /** Counted seconds of this week (Sun–Sat), including the running log up to now. */
  weekSeconds: number;
  sync: SyncStatus;
  /** Idle prompts still to answer (so a recreated window asks again); oldest first. */
  idlePrompts: IdlePrompt[];
  /** "Still working?" while it waits for an answer. */
  stillWorking?: StillWorking | null;
}

export interface Project {
  id: string;
  name: string;
}

/** A task of a project. */
export interface Task {
  id: string;
  title: string;
  projectId: string;
}

/** How "New project…" went: made by the server, one of that name was there already, or made on this computer to be sent when the server answers. */
export type Made = 'created' | 'existing' | 'queued';

export interface NewProject {
  project: Project;
  made: Made;
}

export type LogKind = 'tracked' | 'idle';
export type SyncState = 'pending' | 'synced' | 'refused';

export interface LogEntry {
  id: string;
  projectName: string | null;
  description: string;
  startedAt: string;
  /** null while running. */
  stoppedAt: string | null;
  /** `idle`: discarded or undecided idle time, shown but not counted. */
  kind: LogKind;
  seconds: number;
  sync: SyncState;
  /** The server's message when refused. */
  syncMessage?: string | null;
}

export interface Screenshot {
  id: string;
  takenAt: string;
  /** A `data:image/jpeg;base64,...` URL of the 320 px thumbnail. */
  thumbnail: string;
  /** Once uploaded it can no longer be deleted from here. */
  uploaded: boolean;
  /** The organization keeps the time of a deleted screenshot (its manager sees "screenshot removed by the employee"); otherwise the time goes too. */
  deleteKeepsTime?: boolean;
}

export type Screens = 'all' | 'active';

export interface Settings {
  /** 60..3600. */
  idleThresholdSeconds: number;
  /** null: screenshots off. */
  screenshotIntervalSeconds: number | null;
  screens: Screens;
  blur: boolean;
  startAtLogin: boolean;
  /** Ask "Still working?" after this many hours of running (1..24); null: never. */
  stillWorkingHours: number | null;
  /** Never captured while in front, comma-separated: `keepassxc`, `title:bank`, `blur:slack`. Error `invalid` names a bad entry. */
  neverCapture: string;
  /** Remind to start after this many minutes of work without a timer (1..120); null: never. */
  remindToStartMinutes: number | null;
}

export type TimesheetStatus = 'draft' | 'submitted' | 'inReview' | 'approved' | 'rejected';

export interface TimesheetEntry {
  id: string;
  /** The day, "YYYY-MM-DD", in the user's time zone. */
  date: string;
  projectName: string | null;
  description: string;
  startedAt: string;
  stoppedAt: string | null;
  seconds: number;
}

export interface Timesheet {
  /** null when the week has no timesheet yet (nothing tracked): nothing to submit. */
  id: string | null;
  /** Sunday, "YYYY-MM-DD". */
  weekStart: string;
  /** Saturday, "YYYY-MM-DD". */
  weekEnd: string;
  status: TimesheetStatus;
  totalSeconds: number;
  /** Why the manager rejected the week; only while it is rejected. */
  rejectionReason?: string | null;
  entries: TimesheetEntry[];
}

export interface PendingTimesheet {
  id: string;
  employeeName: string;
  employeeEmail: string;
  weekStart: string;
  weekEnd: string;
  totalSeconds: number;
  submittedAt: string | null;
}

/** A submitted week opened by its manager: all seven of the employee's days. */
export interface WeekDetails {
  id: string;
  /** The employee's zone the days are cut in. */
  timeZone: string;
  days: DayDetails[];
}

export interface DayDetails {
  /** "YYYY-MM-DD", the employee's local date. */
  date: string;
  /** Time that counts (idle left out) inside this day. */
  totalSeconds: number;
  screenshots: number;
  /** Most time first; name null: no project. */
  projects: { name: string | null; seconds: number }[];
  /** In the order they started; seconds: inside this day. */
  logs: { id: string; projectName: string | null; description: string; startedAt: string; stoppedAt: string | null; seconds: number }[];
}

/** What of a screenshot someone opened: the full image or its thumbnail. */
export type ViewKind = 'file' | 'thumb';

/** One view of the user's screenshot by someone else, recorded by the server before it served the image. */
export interface ScreenshotView {
  id: string;
  screenshotId: string;
  viewerId: string;
  /** "" for someone no longer in the organization. */
  viewerName: string;
  viewedAt: string;
  kind: ViewKind;
}

/** Where "Download my data" saved the zip. */
export interface SavedFile {
  /** The full path. */
  path: string;
  /** As the window says it: "~/Downloads/stint-my-data-2026-12-07.zip". */
  shown: string;
}

// ------------------------------------------------------------------ commands

/**
 * The commands: name -> [arguments, result]. The Tauri side implements each
 * as `#[tauri::command] async fn <name>(...) -> Result<Result, IpcErrorPayload>`.
 */
export interface Commands {
  /** Current state of everything on the main screen. Never fails for "signed out": `signedIn: false`. */
  status: [Record<string, never>, Status];
  /** Signs in to a server; remembered across restarts. Errors: `invalid` (bad URL), `refused` (wrong email or password), `offline`. */
  sign_in: [{ server: string; email: string; password: string }, Status];
  /** Starts the embedded server ("this computer only") and signs in to it. */
  use_this_computer_only: [Record<string, never>, Status];
  /** Stops any running timer cleanly, then forgets the session. */
  sign_out: [Record<string, never>, Status];
  /** Projects the user may track time on. */
  projects: [Record<string, never>, Project[]];
  /** "New project…": on the server when it answers within a few seconds, else on this computer (sent by the sync before the time tracked on it). An existing name is picked, not doubled. Errors: `invalid` (empty or too long), `refused` (not allowed on this server). */
  create_project: [{ name: string }, NewProject];
  /** Renames a project (managers and admins); answers it as the server now has it. Errors: `invalid` (empty or too long), `conflict` (the name is taken), `refused` (not allowed), `notFound`. */
  rename_project: [{ id: string; name: string }, Project];
  /** Archives a project: its time stays in reports, nobody can start new time on it; pickers no longer list it. Errors: `refused`, `notFound`. */
  archive_project: [{ id: string }, null];
  /** Starts the timer (stopping one running elsewhere on the server). */
  start: [{ projectId: string | null; taskId?: string | null; description: string }, Status];
  /** Changes what the running timer is about (its log too, synced again); error `conflict` when nothing runs. */
  change_running: [{ projectId: string | null; taskId?: string | null; description: string }, Status];
  /** A project's tasks (the saved list when the server does not answer within a few seconds). */
  tasks: [{ projectId: string }, Task[]];
  /** "New task…": made on the server; an existing title in the project is returned, not doubled. Errors: `invalid`, `refused`, `offline`. */
  create_task: [{ projectId: string; title: string }, Task];
  /** Stops the timer now. */
  stop: [Record<string, never>, Status];
  /** Answers an idle prompt: keep (count it), discard (leave it idle), stop (discard and stop the timer as of when idle began). */
  answer_idle: [{ idleLogId: string; answer: IdleAnswer }, Status];
  /** "Yes, still working": the timer goes on and asks again after as many hours. Error `notFound` when already answered or stopped. */
  still_working: [Record<string, never>, Status];
  /** The latest logs, newest first (today and yesterday at most 50). */
  recent_logs: [Record<string, never>, LogEntry[]];
  /** The latest screenshots, newest first (at most 6). */
  recent_screenshots: [Record<string, never>, Screenshot[]];
  /** Deletes a screenshot not yet uploaded, and the time it covers. Error `conflict` once uploaded. */
  delete_screenshot: [{ id: string }, null];
  settings: [Record<string, never>, Settings];
  /** Validates and saves; error `invalid` names the field in words. Returns what was saved. */
  save_settings: [{ settings: Settings }, Settings];
  /** The week (Sun–Sat) holding `weekStart` ("YYYY-MM-DD"), or the current one when absent. */
  timesheet: [{ weekStart?: string | null }, Timesheet];
  submit_timesheet: [{ id: string }, Timesheet];
  /** Submitted timesheets of the user's direct reports. */
  pending_approvals: [Record<string, never>, PendingTimesheet[]];
  approve: [{ id: string }, null];
  /** Sends the week back with the reason (required, at most 1,000 characters: error `invalid`). */
  reject: [{ id: string; reason: string }, null];
  /** A submitted week of a direct report, day by day (error `notFound` once decided). */
  approval_week: [{ id: string }, WeekDetails];
  /** Who else opened the user's screenshots in the last 30 days, newest first. */
  screenshot_views: [Record<string, never>, ScreenshotView[]];
  /** "Download my data": the server's zip of everything it holds about the user, saved in Downloads as stint-my-data-YYYY-MM-DD.zip (-2, -3… never over another file). Errors: `offline`, `signedOut`, `conflict` (one already being prepared). */
  download_my_data: [Record<string, never>, SavedFile];
}

export type IdleAnswer = 'keep' | 'discard' | 'stop';
export type CommandName = keyof Commands;

// -------------------------------------------------------------------- events

/** Events Rust emits to the window. */
export interface Events {
  /** The timer changed: started, stopped, went idle, resumed, stopped elsewhere (with `message`). */
  'tracking-changed': Tracking;
  /** The user came back after being idle: ask Keep / Discard / Discard & stop. */
  'idle-prompt': IdlePrompt;
  /** The timer has run for hours: ask "Still working?". */
  'still-working': StillWorking;
  /** Work without a timer ("forgot to start"): the words to show. */
  reminder: { text: string };
  /** The outbox or the connection changed. */
  'sync-changed': SyncStatus;
}

export type EventName = keyof Events;

// -------------------------------------------------------------------- errors

/**
 * Error codes that cross IPC. `offline`: the server can't be reached (the
 * action was kept locally when possible). `signedOut`: the session ended,
 * sign in again. `refused`: the server said no (message is the server's).
 * `invalid`: bad input. `notFound`, `conflict` (e.g. already uploaded or
 * already submitted). `internal`: anything else.
 */
export type ErrorCode =
  | 'offline'
  | 'signedOut'
  | 'refused'
  | 'invalid'
  | 'notFound'
  | 'conflict'
  | 'internal';

/** What a failing command returns, serialized. */
export interface IpcErrorPayload {
  code: ErrorCode | string;
  message: string;
}

export class IpcError extends Error {
  readonly code: string;
  readonly command: string;
  constructor(code: string, message: string, command: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.command = command;
  }
}

/** Turns whatever a rejected invoke carried into an IpcError with a readable message. */
export function toIpcError(command: string, e: unknown): IpcError {
  if (e instanceof IpcError) return e;
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; message?: unknown };
    const message = typeof o.message === 'string' && o.message.trim() ? o.message : '';
    if (typeof o.code === 'string' && message) return new IpcError(o.code, message, command);
    if (message) return new IpcError('internal', message, command);
  }
  if (typeof e === 'string' && e.trim()) {
    // Tauri's own failures (unknown command, bad arguments) arrive as strings.
    return new IpcError('internal', e, command);
  }
  return new IpcError('internal', `Something went wrong (${command}), and it said nothing more.`, command);
}

/** Calls a command; a failure rejects with an {@link IpcError}. */
export async function call<C extends CommandName>(
  command: C,
  ...args: Commands[C][0] extends Record<string, never> ? [] : [Commands[C][0]]
): Promise<Commands[C][1]> {
  try {
    return (await invoke(command, args[0] ?? {})) as Commands[C][1];
  } catch (e) {
    throw toIpcError(command, e);
  }
}

/** Listens to an event; returns the function that stops listening. */
export function on<E extends EventName>(event: E, handler: (payload: Events[E]) => void): Promise<UnlistenFn> {
  return listen<Events[E]>(event, (e) => handler(e.payload));
}

// ------------------------------------------------------ the typed functions

export const ipc = {
  status: () => call('status'),
  signIn: (a: { server: string; email: string; password: string }) => call('sign_in', a),
  useThisComputerOnly: () => call('use_this_computer_only'),
  signOut: () => call('sign_out'),
  projects: () => call('projects'),
  createProject: (name: string) => call('create_project', { name }),
  renameProject: (id: string, name: string) => call('rename_project', { id, name }),
  archiveProject: (id: string) => call('archive_project', { id }),
  start: (a: { projectId: string | null; taskId?: string | null; description: string }) => call('start', a),
  changeRunning: (a: { projectId: string | null; taskId?: string | null; description: string }) => call('change_running', a),
  tasks: (projectId: string) => call('tasks', { projectId }),
  createTask: (projectId: string, title: string) => call('create_task', { projectId, title }),
  stop: () => call('stop'),
  answerIdle: (a: { idleLogId: string; answer: IdleAnswer }) => call('answer_idle', a),
  stillWorking: () => call('still_working'),
  recentLogs: () => call('recent_logs'),
  recentScreenshots: () => call('recent_screenshots'),
  deleteScreenshot: (id: string) => call('delete_screenshot', { id }),
  settings: () => call('settings'),
  saveSettings: (settings: Settings) => call('save_settings', { settings }),
  timesheet: (weekStart?: string) => call('timesheet', { weekStart: weekStart ?? null }),
  submitTimesheet: (id: string) => call('submit_timesheet', { id }),
  pendingApprovals: () => call('pending_approvals'),
  approve: (id: string) => call('approve', { id }),
  reject: (id: string, reason: string) => call('reject', { id, reason }),
  approvalWeek: (id: string) => call('approval_week', { id }),
  screenshotViews: () => call('screenshot_views'),
  downloadMyData: () => call('download_my_data'),
  on,
};

export type Ipc = typeof ipc;
