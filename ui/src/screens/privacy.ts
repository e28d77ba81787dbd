/**
 * The Privacy tab: who else opened the user's screenshots in the last 30
 * days, newest first, and "Download my data" (a zip of everything the
 * server holds about the user, saved in Downloads).
 */
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
    myData(ctx),
  );
  void load();
  return { el };
}

/**
 * "Download my data": the button, then what happened, read out as it
 * changes ("Preparing…", "Saved to ~/Downloads/…", or why not). While the
 * server prepares the zip the button stays focused but does nothing, so a
 * keyboard user keeps their place and cannot ask twice.
 */
function myData(ctx: Ctx): HTMLElement {
  const said = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button' }, 'Download my data');
  let busy = false;
  button.addEventListener('click', async () => {
    if (busy) return;
    busy = true;
    button.setAttribute('aria-disabled', 'true');
    said.className = 'muted';
    said.textContent = 'Preparing…';
    try {
      const saved = await ctx.ipc.downloadMyData();
      said.textContent = `Saved to ${saved.shown}`;
    } catch (e) {
      const err = toIpcError('download_my_data', e);
      said.textContent = '';
      if (err.code === 'signedOut') return ctx.report("Couldn't download your data", err);
      const lead = err.code === 'offline' ? "You're offline, so your data can't be downloaded right now" : "Couldn't download your data";
      said.className = 'views-error';
      said.textContent = errorText(lead, err);
    } finally {
      busy = false;
      button.removeAttribute('aria-disabled');
    }
  });
  return h(
    'div',
    { class: 'my-data' },
    h('h3', null, 'Your data'),
    h(
      'p',
      { class: 'lead' },
      'A copy of everything the server keeps about you (your time, activity, screenshots and who opened them) as one zip file in your Downloads folder.',
    ),
    button,
    said,
  );
}
