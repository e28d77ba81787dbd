/** The window: picks the screen, keeps the status, listens to Rust's events, shows every error. */
import { h, fill } from './dom';
import { ipc as realIpc, toIpcError, type Ipc, type IdlePrompt, type Status, type SyncStatus, type Tracking } from './ipc';
import { errorText, offlineBanner, syncChip, syncLine, ticking, windowTitle } from './view';
import { signInScreen } from './screens/signin';
import { timerScreen } from './screens/timer';
import { timesheetScreen } from './screens/timesheet';
import { approvalsScreen } from './screens/approvals';
import { privacyScreen } from './screens/privacy';
import { settingsScreen } from './screens/settings';
import { IdleDialog } from './screens/idle';
import { StillWorkingDialog } from './screens/still_working';

export type Tab = 'timer' | 'timesheet' | 'approvals' | 'privacy' | 'settings';

export interface Screen {
  el: HTMLElement;
  /** Called when the status changed. */
  update?(s: Status): void;
  /** Called every second. */
  tick?(): void;
  destroy?(): void;
}

/** What screens get from the app. */
export interface Ctx {
  ipc: Ipc;
  locale: string | undefined;
  status(): Status;
  /** When the status arrived (ms), for ticking. */
  receivedAt(): number;
  setStatus(s: Status): void;
  /**
   * Shows a failed action in words (and goes to sign-in when the session
   * ended). One error per action: trying again replaces it.
   */
  report(action: string, e: unknown): void;
  /** The action worked this time: its error goes. */
  clear(action: string): void;
  /** Says something that went well, politely (aria-live). */
  say(text: string): void;
  refresh(): Promise<void>;
  /** Stops the timer if it runs, and signs out (Settings asks first). */
  signOut(): Promise<void>;
  /** How many timesheets wait for this manager, for the Approvals tab. */
  setPending(n: number): void;
}

export class App implements Ctx {
  readonly ipc: Ipc;
  readonly locale: string | undefined;
  private root: HTMLElement;
  private current: Status | null = null;
  private at = 0;
  private tab: Tab = 'timer';
  private screen: Screen | null = null;
  private errors = h('div', { class: 'errors', role: 'alert', 'aria-live': 'assertive' });
  private notice = h('p', { class: 'notice', role: 'status', 'aria-live': 'polite' });
  private banner = h('div', { class: 'offline', role: 'status', 'aria-live': 'polite', hidden: true });
  private syncEl = h('p', { class: 'sync-chip', role: 'status', 'aria-live': 'polite' });
  /** The open errors, by action. */
  private failures = new Map<string, HTMLElement>();
  private pending: number | null = null;
  private idle: IdleDialog;
  private stillWorking: StillWorkingDialog;
  private mode: 'loading' | 'signin' | 'main' = 'loading';
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(root: HTMLElement, ipc: Ipc = realIpc, locale?: string) {
    this.root = root;
    this.ipc = ipc;
    this.locale = locale;
    this.idle = new IdleDialog(this);
    this.stillWorking = new StillWorkingDialog(this);
  }

  async start(): Promise<void> {
    fill(this.root, h('p', { class: 'loading', role: 'status' }, 'Loading…'));
    try {
      await Promise.all([
        this.ipc.on('tracking-changed', (t) => this.onTracking(t)),
        this.ipc.on('sync-changed', (s) => this.onSync(s)),
        this.ipc.on('idle-prompt', (p) => this.onIdlePrompt(p)),
        this.ipc.on('still-working', (q) => this.stillWorking.offer(q)),
        this.ipc.on('reminder', (r) => this.say(r.text)),
      ]);
    } catch (e) {
      // Without events the window still works from commands; say so.
      this.report("Couldn't listen for timer changes", e);
    }
    await this.refresh();
    this.timer = setInterval(() => {
      this.screen?.tick?.();
      this.retitle();
    }, 1000);
    // A safety net: the totals and sync line stay right even if an event is missed.
    setInterval(() => {
      if (this.mode === 'main') void this.refresh();
    }, 60_000);
  }

  // ------------------------------------------------------------------ Ctx

  status(): Status {
    if (!this.current) throw new Error('no status yet');
    return this.current;
  }

  receivedAt(): number {
    return this.at;
  }

  setStatus(s: Status): void {
    this.current = s;
    this.at = Date.now();
    if (!s.signedIn) {
      if (this.mode !== 'signin') this.showSignIn();
      return;
    }
    if (this.mode !== 'main') this.showMain();
    this.renderSync(s.sync);
    this.screen?.update?.(s);
    this.retitle();
    this.idle.offer(s.idlePrompts ?? []);
    this.stillWorking.offer(s.stillWorking);
  }

  /** The window's title says the timer runs, so it shows in the taskbar and to screen readers. */
  private retitle(): void {
    const s = this.current;
    const title = s?.signedIn ? windowTitle(s.tracking, ticking(s, this.at, Date.now()).elapsed) : 'Stint';
    if (document.title !== title) document.title = title;
  }

  report(action: string, e: unknown): void {
    const err = toIpcError(action, e);
    if (err.code === 'signedOut' && this.mode !== 'signin') {
      this.current = this.current ? { ...this.current, signedIn: false } : null;
      this.showSignIn();
    }
    this.failures.get(action)?.remove();
    const item = h(
      'div',
      { class: 'error' },
      h('p', null, errorText(action, err)),
      h('button', { type: 'button', class: 'link', onclick: () => this.clear(action) }, 'Dismiss'),
    );
    this.failures.set(action, item);
    this.errors.append(item);
  }

  clear(action: string): void {
    this.failures.get(action)?.remove();
    this.failures.delete(action);
  }

  private clearAll(): void {
    this.failures.clear();
    this.errors.replaceChildren();
  }

  say(text: string): void {
    this.notice.textContent = text;
  }

  async refresh(): Promise<void> {
    try {
      this.setStatus(await this.ipc.status());
      this.clear("Couldn't read the timer's state");
    } catch (e) {
      if (this.mode === 'loading') fill(this.root, this.errors);
      this.report("Couldn't read the timer's state", e);
    }
  }

  // --------------------------------------------------------------- events

  private onTracking(t: Tracking): void {
    if (!this.current) return;
    if (t.message) this.say(t.message);
    this.setStatus({ ...this.current, tracking: t });
    // Totals and recent logs come with the next status.
    void this.refresh();
  }

  private onSync(s: SyncStatus): void {
    if (!this.current) return;
    this.current = { ...this.current, sync: s };
    this.renderSync(s);
  }

  private onIdlePrompt(p: IdlePrompt): void {
    this.idle.offer([p]);
  }

  // -------------------------------------------------------------- screens

  private showSignIn(): void {
    this.mode = 'signin';
    this.screen?.destroy?.();
    this.screen = null;
    this.idle.close();
    this.stillWorking.close();
    this.banner.hidden = true;
    this.pending = null;
    this.retitle();
    const s = signInScreen(this);
    fill(this.root, h('main', { class: 'signin' }, this.errors, s.el));
  }

  private showMain(): void {
    this.mode = 'main';
    this.tab = 'timer';
    this.clearAll();
    this.renderMain();
    if (this.status().user?.canApprove) void this.countPending();
  }

  /** The Approvals tab's count, read once on sign-in; the Approvals screen keeps it current. */
  private async countPending(): Promise<void> {
    try {
      this.setPending((await this.ipc.pendingApprovals()).length);
    } catch {
      // The tab just shows no count; the Approvals screen says what failed when opened.
    }
  }

  setPending(n: number): void {
    this.pending = n;
    const count = this.root.querySelector('nav .count');
    if (count) fill(count, ...this.countText());
  }

  /** "2" and, for screen readers, " waiting" after it; nothing when none wait. */
  private countText(): (string | HTMLElement)[] {
    return this.pending ? [String(this.pending), h('span', { class: 'sr-only' }, ' waiting')] : [];
  }

  private renderMain(): void {
    const s = this.status();
    const user = s.user;
    const tabs: [Tab, string][] = [
      ['timer', 'Timer'],
      ['timesheet', 'Timesheet'],
      ...(user?.canApprove ? ([['approvals', 'Approvals']] as [Tab, string][]) : []),
      ['privacy', 'Privacy'],
      ['settings', 'Settings'],
    ];
    const nav = h(
      'nav',
      { 'aria-label': 'Sections' },
      tabs.map(([id, label]) =>
        h(
          'button',
          {
            type: 'button',
            class: 'tab',
            'aria-current': this.tab === id ? 'page' : undefined,
            onclick: () => this.go(id),
          },
          label,
          id === 'approvals' ? [' ', h('span', { class: 'count' }, this.countText())] : null,
        ),
      ),
    );
    const who = user
      ? h(
          'p',
          { class: 'who' },
          h('span', null, user.name || user.email),
          h('span', { class: 'muted' }, user.server ? ` · ${user.server}` : ' · this computer only'),
        )
      : null;
    const header = h('header', null, h('h1', null, 'Stint'), who, this.syncEl);
    this.screen?.destroy?.();
    this.screen = this.makeScreen(this.tab);
    fill(
      this.root,
      header,
      nav,
      this.banner,
      this.errors,
      this.notice,
      h('main', { id: 'content' }, this.screen.el),
    );
    this.renderSync(s.sync);
  }

  private makeScreen(tab: Tab): Screen {
    switch (tab) {
      case 'timer':
        return timerScreen(this);
      case 'timesheet':
        return timesheetScreen(this);
      case 'approvals':
        return approvalsScreen(this);
      case 'privacy':
        return privacyScreen(this);
      case 'settings':
        return settingsScreen(this);
    }
  }

  go(tab: Tab): void {
    this.tab = tab;
    // What was said about the last tab does not belong to this one.
    this.notice.textContent = '';
    this.clearAll();
    this.renderMain();
    (this.root.querySelector('#content h2') as HTMLElement | null)?.focus();
  }

  private renderSync(s: SyncStatus): void {
    const chip = syncChip(s, this.locale);
    this.syncEl.textContent = chip.text;
    this.syncEl.dataset.tone = chip.tone;
    this.syncEl.title = syncLine(s, this.locale);
    const text = offlineBanner(s);
    this.banner.hidden = text === null;
    fill(this.banner, text ? h('p', null, h('strong', null, 'Offline. '), text.replace(/^Offline\. /, '')) : null);
  }

  async signOut(): Promise<void> {
    try {
      this.setStatus(await this.ipc.signOut());
      this.say('');
      this.clear("Couldn't sign out");
    } catch (e) {
      this.report("Couldn't sign out", e);
    }
  }

  stopTicking(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
