/** The Privacy tab: who else opened the user's screenshots in the last 30 days, newest first. */
import { h, fill } from '../dom';
import type { Ctx, Screen } from '../app';
import { toIpcError } from '../ipc';
import { NO_VIEWS, VIEWS_DAYS, groupViews, viewSentence } from '../privacy';
import { errorText } from '../view';

export function privacyScreen(ctx: Ctx): Screen {
  const body = h('div', null, h('p', { class: 'muted', role: 'status' }, 'Loading…'));
  const again = h('button', { type: 'button' }, 'Try again');

  /** Offline or refused: said here, in the tab, with a way to ask again. */
  const failed = (e: unknown) => {
    const err = toIpcError('screenshot_views', e);
    // A session that ended goes back to sign-in, as everywhere else.
    if (err.code === 'signedOut') return ctx.report("Couldn't check who opened your screenshots", err);
    const lead =
      err.code === 'offline'
        ? "You're offline, so who opened your screenshots can't be checked right now"
        : "Couldn't check who opened your screenshots";
    fill(body, h('div', { class: 'views-error', role: 'status' }, h('p', null, errorText(lead, err)), again));
  };

  const load = async () => {
    again.disabled = true;
    try {
      const groups = groupViews(await ctx.ipc.screenshotViews(), { locale: ctx.locale });
      fill(
        body,
        groups.length === 0
          ? h('p', { class: 'muted' }, NO_VIEWS)
          : h(
              'ul',
              { class: 'views' },
              groups.map((g) => h('li', null, viewSentence(g, { locale: ctx.locale }))),
            ),
      );
    } catch (e) {
      failed(e);
    } finally {
      again.disabled = false;
    }
  };
  again.addEventListener('click', () => void load());

  const el = h(
    'section',
    { class: 'privacy', 'aria-labelledby': 'privacy-h' },
    h('h2', { id: 'privacy-h', tabIndex: -1 }, 'Who opened your screenshots'),
    h(
      'p',
      { class: 'lead' },
      'When someone else opens one of your screenshots, or sees its thumbnail, the server writes it down first. ',
      `Nobody can change or delete that record. Here are the last ${VIEWS_DAYS} days, newest first.`,
    ),
    body,
  );
  void load();
  return { el };
}
