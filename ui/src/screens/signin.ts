/** Sign in to a server, or use Stint on this computer only. Errors are said at the field they are about. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import { toIpcError } from '../ipc';
import { checkSignIn, errorText, signInField, type SignInField } from '../view';

const LABELS: Record<SignInField, string> = { server: 'Server URL', email: 'Email', password: 'Password' };

export function signInScreen(ctx: Ctx): Screen {
  const input = (id: SignInField, attrs: Record<string, unknown>) =>
    h('input', { id, name: id, required: true, 'aria-describedby': `${id}-error`, ...attrs });
  const fields: Record<SignInField, HTMLInputElement> = {
    server: input('server', {
      type: 'text',
      inputMode: 'url',
      autocomplete: 'url',
      placeholder: 'https://stint.example.com',
      spellcheck: false,
    }),
    email: input('email', { type: 'email', autocomplete: 'username' }),
    password: input('password', { type: 'password', autocomplete: 'current-password' }),
  };
  const problems = {
    server: h('p', { id: 'server-error', class: 'field-error' }),
    email: h('p', { id: 'email-error', class: 'field-error' }),
    password: h('p', { id: 'password-error', class: 'field-error' }),
  };
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const localError = h('div', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const local = h('button', { type: 'button' }, 'Use on this computer only');
  const progress = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });

  const busy = (on: boolean, text = '') => {
    submit.disabled = on;
    local.disabled = on;
    progress.textContent = text;
  };

  /** One problem at a time: the last try's go. */
  const clearProblems = () => {
    for (const f of Object.keys(fields) as SignInField[]) {
      fields[f].removeAttribute('aria-invalid');
      problems[f].textContent = '';
    }
    fill(formError);
    fill(localError);
  };

  /** Says `text` at `field` (or above the form) and takes the focus there. */
  const problem = (field: SignInField | null, text: string) => {
    if (!field) {
      fill(formError, h('p', null, text));
      submit.focus();
      return;
    }
    fields[field].setAttribute('aria-invalid', 'true');
    problems[field].textContent = text;
    fields[field].focus();
  };

  const form = h(
    'form',
    {
      'aria-labelledby': 'signin-h',
      noValidate: true,
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        clearProblems();
        const checked = checkSignIn(fields.server.value, fields.email.value, fields.password.value);
        if ('field' in checked) return problem(checked.field, checked.text);
        busy(true, `Signing in to ${checked.server}…`);
        try {
          const s = await ctx.ipc.signIn({ server: checked.server, email: checked.email, password: fields.password.value });
          fields.password.value = '';
          busy(false);
          ctx.setStatus(s);
        } catch (e) {
          busy(false);
          const err = toIpcError('sign_in', e);
          if (err.code === 'signedOut') return ctx.report("Couldn't sign in", err);
          problem(signInField(err.code), errorText("Couldn't sign in", err));
        }
      },
    },
    h('h2', { id: 'signin-h' }, "Sign in to your company's server"),
    formError,
    (Object.keys(fields) as SignInField[]).flatMap((f) => [
      h('label', { for: f }, LABELS[f]),
      fields[f],
      problems[f],
    ]),
    submit,
  );

  local.addEventListener('click', async () => {
    clearProblems();
    busy(true, 'Setting up Stint on this computer…');
    try {
      const s = await ctx.ipc.useThisComputerOnly();
      busy(false);
      ctx.setStatus(s);
    } catch (e) {
      busy(false);
      fill(localError, h('p', null, errorText("Couldn't set up this computer", toIpcError('use_this_computer_only', e))));
      local.focus();
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
      localError,
      local,
    ),
    progress,
  );
  return { el };
}
