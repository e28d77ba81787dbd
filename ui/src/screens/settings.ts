/** Settings: idle threshold, screenshots (interval, screens, blur), start at login; Projects for managers and admins; the account. */
import { h } from '../dom';
import type { Ctx, Screen } from '../app';
import type { Settings } from '../ipc';
import { ask } from '../confirm';
import { SCREENSHOT_INTERVALS, signOutQuestion } from '../view';
import { loadFailed } from './failed';
import { manageProjects } from './manage_projects';

/** "Forgot to start" choices, in minutes of work without a timer; null never reminds. */
const REMIND_MINUTES = [5, 10, 15, 30, null];

/** "Still working?" choices, in hours of running; null never asks. */
const STILL_WORKING_HOURS = [4, 6, 8, 10, 12, null];

/** How long "Settings saved." stays. */
const SAVED_MS = 4000;

/**
 * Changes not saved when the person left the tab: shown again when they come
 * back (with a word), so a tab switch loses nothing. Gone once saved.
 */
let draft: Settings | null = null;

export function settingsScreen(ctx: Ctx): Screen {
  const idle = h('input', { id: 'idle-minutes', name: 'idle', type: 'number', min: 1, max: 60, step: 1, required: true });
  const interval = h(
    'select',
    { id: 'shot-interval', name: 'interval' },
    SCREENSHOT_INTERVALS.map((i) => h('option', { value: i.seconds === null ? 'off' : String(i.seconds) }, i.label)),
  );
  const all = h('input', { id: 'screens-all', type: 'radio', name: 'screens', value: 'all' });
  const active = h('input', { id: 'screens-active', type: 'radio', name: 'screens', value: 'active' });
  const blur = h('input', { id: 'blur', type: 'checkbox', name: 'blur' });
  const login = h('input', { id: 'login', type: 'checkbox', name: 'login' });
  const never = h('input', {
    id: 'never-capture',
    name: 'never',
    type: 'text',
    autocomplete: 'off',
    spellcheck: false,
    placeholder: 'keepassxc, title:bank, blur:slack',
    'aria-describedby': 'never-capture-help',
  });
  const remind = h(
    'select',
    { id: 'remind-to-start', name: 'remind' },
    REMIND_MINUTES.map((n) => h('option', { value: n === null ? 'off' : String(n) }, n === null ? 'Never' : `After ${n} minutes`)),
  );
  const still = h(
    'select',
    { id: 'still-working', name: 'still' },
    STILL_WORKING_HOURS.map((n) => h('option', { value: n === null ? 'off' : String(n) }, n === null ? 'Never' : `After ${n} hours`)),
  );
  const save = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Save settings');
  const saved = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const problem = h('div');
  /** What the app has saved, as last read; null until read. */
  let saved0: Settings | null = null;
  let savedTimer: ReturnType<typeof setTimeout> | undefined;
  const unsay = () => {
    clearTimeout(savedTimer);
    saved.textContent = '';
  };

  const show = (s: Settings) => {
    idle.value = String(Math.max(1, Math.round(s.idleThresholdSeconds / 60)));
    const v = s.screenshotIntervalSeconds === null ? 'off' : String(s.screenshotIntervalSeconds);
    if (![...interval.options].some((o) => o.value === v)) {
      interval.append(h('option', { value: v }, `Every ${Math.round(Number(v) / 60)} minutes`));
    }
    interval.value = v;
    all.checked = s.screens === 'all';
    active.checked = s.screens === 'active';
    blur.checked = s.blur;
    login.checked = s.startAtLogin;
    const hours = s.stillWorkingHours === null ? 'off' : String(s.stillWorkingHours);
    if (![...still.options].some((o) => o.value === hours)) still.append(h('option', { value: hours }, `After ${hours} hours`));
    still.value = hours;
    never.value = s.neverCapture;
    const mins = s.remindToStartMinutes === null ? 'off' : String(s.remindToStartMinutes);
    if (![...remind.options].some((o) => o.value === mins)) remind.append(h('option', { value: mins }, `After ${mins} minutes`));
    remind.value = mins;
    const off = s.screenshotIntervalSeconds === null;
    all.disabled = active.disabled = blur.disabled = off;
  };

  interval.addEventListener('change', () => {
    const off = interval.value === 'off';
    all.disabled = active.disabled = blur.disabled = off;
  });

  const read = (): Settings => ({
    idleThresholdSeconds: Math.round(Number(idle.value) * 60),
    screenshotIntervalSeconds: interval.value === 'off' ? null : Number(interval.value),
    screens: active.checked ? 'active' : 'all',
    blur: blur.checked,
    startAtLogin: login.checked,
    stillWorkingHours: still.value === 'off' ? null : Number(still.value),
    neverCapture: never.value.trim(),
    remindToStartMinutes: remind.value === 'off' ? null : Number(remind.value),
  });

  const form = h(
    'form',
    {
      class: 'settings',
      'aria-labelledby': 'settings-h',
      // A change after saving makes "Settings saved." untrue.
      oninput: unsay,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        unsay();
        save.disabled = true;
        try {
          saved0 = await ctx.ipc.saveSettings(read());
          show(saved0);
          draft = null;
          ctx.clear("Couldn't save the settings");
          saved.textContent = 'Settings saved.';
          savedTimer = setTimeout(unsay, SAVED_MS);
        } catch (e) {
          ctx.report("Couldn't save the settings", e);
        } finally {
          save.disabled = false;
        }
      },
    },
    h('h2', { id: 'settings-h', tabIndex: -1 }, 'Settings'),
    problem,
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'idle-minutes' }, 'Ask about idle time after (minutes without input)'),
      idle,
    ),
    h(
      'fieldset',
      null,
      h('legend', null, 'Screenshots'),
      h('div', { class: 'field' }, h('label', { for: 'shot-interval' }, 'Take a screenshot'), interval),
      h(
        'fieldset',
        { class: 'inline' },
        h('legend', null, 'Which screens'),
        h('label', null, all, ' All screens'),
        h('label', null, active, ' Only the active screen'),
      ),
      h('label', null, blur, ' Blur screenshots'),
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'never-capture' }, 'Never capture these applications'),
        never,
        h(
          'p',
          { id: 'never-capture-help', class: 'muted' },
          'Comma-separated application names; title:word for windows whose title has it; blur: before either for a blurred screenshot instead of none. Their time still counts; the activity says “private application”.',
        ),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'still-working' }, 'Ask “Still working?” when the timer has run long (unanswered, it stops at your last input)'),
      still,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'remind-to-start' }, 'Remind me to start when I work without the timer'),
      remind,
    ),
    h('label', null, login, ' Start Stint when I log in'),
    h('div', { class: 'actions' }, save),
    saved,
  );

  const load = async () => {
    problem.replaceChildren();
    try {
      saved0 = await ctx.ipc.settings();
      show(draft ?? saved0);
      if (draft) saved.textContent = 'Your changes from before are here, not saved yet.';
      save.disabled = false;
    } catch (e) {
      loadFailed(ctx, problem, "Couldn't load the settings", e, () => void load());
    }
  };
  void load();

  /** Leaving the tab: keep what was changed and not saved (not when leaving by signing out). */
  const leave = () => {
    unsay();
    if (!ctx.status().signedIn) draft = null;
    else if (saved0) draft = JSON.stringify(read()) === JSON.stringify(saved0) ? null : read();
  };

  const projects = ctx.status().user?.canManageProjects ? manageProjects(ctx) : null;
  return { el: h('div', { class: 'settings-screen' }, form, projects, account(ctx)), destroy: leave };
}

/** Who is signed in where, and Sign out, which asks first while the timer runs. */
function account(ctx: Ctx): HTMLElement {
  const user = ctx.status().user;
  const actions = h('div', { class: 'actions' });
  const out = h('button', { type: 'button', class: 'danger' }, 'Sign out');
  out.addEventListener('click', () => {
    const question = signOutQuestion(ctx.status().tracking);
    if (!question) return void ctx.signOut();
    ask(actions, {
      question,
      yes: 'Stop and sign out',
      danger: true,
      run: async () => {
        await ctx.signOut();
        return actions.isConnected ? false : true;
      },
    });
  });
  actions.append(out);
  return h(
    'section',
    { class: 'account', 'aria-labelledby': 'account-h' },
    h('h2', { id: 'account-h' }, 'Account'),
    user
      ? h(
          'p',
          null,
          `Signed in as ${user.name || user.email}${user.name ? ` (${user.email})` : ''} `,
          user.server ? `at ${user.server}.` : 'on this computer only.',
        )
      : null,
    actions,
  );
}
