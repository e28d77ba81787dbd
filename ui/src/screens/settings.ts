/** Settings: idle threshold, screenshots (interval, screens, blur), start at login. */
import { h } from '../dom';
import type { Ctx, Screen } from '../app';
import type { Settings } from '../ipc';
import { SCREENSHOT_INTERVALS } from '../view';

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
  const save = h('button', { type: 'submit', class: 'primary', disabled: true }, 'Save settings');
  const saved = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });

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
  });

  const form = h(
    'form',
    {
      class: 'settings',
      'aria-labelledby': 'settings-h',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        saved.textContent = '';
        save.disabled = true;
        try {
          show(await ctx.ipc.saveSettings(read()));
          saved.textContent = 'Settings saved.';
        } catch (e) {
          ctx.report("Couldn't save the settings", e);
        } finally {
          save.disabled = false;
        }
      },
    },
    h('h2', { id: 'settings-h', tabIndex: -1 }, 'Settings'),
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
    ),
    h('label', null, login, ' Start Stint when I log in'),
    h('div', { class: 'actions' }, save),
    saved,
  );

  void (async () => {
    try {
      show(await ctx.ipc.settings());
      save.disabled = false;
    } catch (e) {
      ctx.report("Couldn't load the settings", e);
    }
  })();

  return { el: form };
}
