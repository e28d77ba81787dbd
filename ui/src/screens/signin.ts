/** Sign in to a server, or use Stint on this computer only. */
import { h } from '../dom';
import type { Ctx, Screen } from '../app';
import { normalizeServer } from '../view';

export function signInScreen(ctx: Ctx): Screen {
  const server = h('input', {
    id: 'server',
    name: 'server',
    type: 'text',
    inputMode: 'url',
    autocomplete: 'url',
    placeholder: 'https://stint.example.com',
    required: true,
    spellcheck: false,
  });
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const local = h('button', { type: 'button' }, 'Use on this computer only');
  const progress = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });

  const busy = (on: boolean, text = '') => {
    submit.disabled = on;
    local.disabled = on;
    progress.textContent = text;
  };

  const form = h(
    'form',
    {
      'aria-labelledby': 'signin-h',
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        const url = normalizeServer(server.value);
        if (!url) {
          ctx.report("Couldn't sign in", { code: 'invalid', message: `"${server.value}" is not a server address` });
          server.focus();
          return;
        }
        busy(true, `Signing in to ${url}…`);
        try {
          const s = await ctx.ipc.signIn({ server: url, email: email.value.trim(), password: password.value });
          password.value = '';
          busy(false);
          ctx.setStatus(s);
        } catch (e) {
          busy(false);
          ctx.report("Couldn't sign in", e);
        }
      },
    },
    h('h2', { id: 'signin-h' }, "Sign in to your company's server"),
    h('label', { for: 'server' }, 'Server URL'),
    server,
    h('label', { for: 'email' }, 'Email'),
    email,
    h('label', { for: 'password' }, 'Password'),
    password,
    submit,
  );

  local.addEventListener('click', async () => {
    busy(true, 'Setting up Stint on this computer…');
    try {
      const s = await ctx.ipc.useThisComputerOnly();
      busy(false);
      ctx.setStatus(s);
    } catch (e) {
      busy(false);
      ctx.report("Couldn't set up this computer", e);
    }
  });

  const el = h(
    'div',
    { class: 'signin-body' },
    h('h1', null, 'Stint'),
    h('p', { class: 'lead' }, 'Time tracking for teams.'),
    form,
    h(
      'section',
      { class: 'local', 'aria-labelledby': 'local-h' },
      h('h2', { id: 'local-h' }, 'No server?'),
      h('p', null, 'Keep your time on this computer only. You can sign in to a server later.'),
      local,
    ),
    progress,
  );
  return { el };
}
