/** The timer screen's latest screenshots: thumbnails, and Delete (with its time) before upload. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { Screenshot } from '../ipc';
import { formatTime } from '../format';

export interface ShotList {
  el: HTMLElement;
  render(shots: Screenshot[]): void;
}

/** `reload` reads the lists again after a delete (the time it covered went with it). */
export function shotList(ctx: Ctx, reload: () => Promise<void>): ShotList {
  const el = h('div', { class: 'shots' });

  const item = (s: Screenshot) => {
    const at = formatTime(s.takenAt, ctx.locale);
    const actions = h('div', { class: 'shot-actions' });
    const ask = () =>
      fill(
        actions,
        s.uploaded
          ? h('span', { class: 'muted' }, 'Uploaded')
          : h(
              'button',
              { type: 'button', class: 'link danger', 'aria-label': `Delete screenshot taken at ${at}`, onclick: confirm },
              'Delete',
            ),
      );
    const confirm = () => {
      const yes = h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: async () => {
            yes.disabled = true;
            try {
              await ctx.ipc.deleteScreenshot(s.id);
              ctx.say(`Deleted the screenshot taken at ${at} and its time.`);
              await reload();
            } catch (e) {
              ask();
              ctx.report("Couldn't delete the screenshot", e);
            }
          },
        },
        'Yes, delete',
      );
      fill(
        actions,
        h('span', null, 'Delete this screenshot and the time it covers?'),
        yes,
        h('button', { type: 'button', class: 'link', onclick: ask }, 'Cancel'),
      );
      yes.focus();
    };
    ask();
    return h(
      'li',
      null,
      h('figure', null, h('img', { src: s.thumbnail, alt: `Screenshot taken at ${at}`, width: 160 }), h('figcaption', null, at)),
      actions,
    );
  };

  return {
    el,
    render(shots) {
      fill(el, shots.length ? h('ul', { class: 'shot-list' }, shots.map(item)) : h('p', { class: 'muted' }, 'No screenshots yet.'));
    },
  };
}
