/** A list that failed to load says so where it would have been, with Try again. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import { toIpcError } from '../ipc';
import { errorText } from '../view';

export function loadFailed(ctx: Ctx, where: HTMLElement, lead: string, e: unknown, retry: () => void): void {
  const err = toIpcError(lead, e);
  // A session that ended goes back to sign-in, as everywhere else.
  if (err.code === 'signedOut') {
    ctx.report(lead, err);
    return;
  }
  const again = h('button', { type: 'button', onclick: retry }, 'Try again');
  fill(where, h('div', { class: 'load-failed', role: 'status' }, h('p', null, errorText(lead, err)), again));
}
