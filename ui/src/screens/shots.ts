/** The timer screen's latest screenshots: thumbnails, and Delete (with the time it takes along) before upload. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { Screenshot } from '../ipc';
import { ask } from '../confirm';
import { formatTime } from '../format';
import { deleteShotQuestion } from '../view';
import { loadFailed } from './failed';

export interface ShotList {
  el: HTMLElement;
  load(): Promise<void>;
}

/** `reload` reads the lists again after a delete (the time it covered went with it). */
export function shotList(ctx: Ctx, reload: () => Promise<void>): ShotList {
  const el = h('div', { class: 'shots' });

  const item = (s: Screenshot, question: string) => {
    const at = formatTime(s.takenAt, ctx.locale);
    const actions = h('div', { class: 'shot-actions' });
    const del = h('button', { type: 'button', class: 'link danger', 'aria-label': `Delete screenshot taken at ${at}` }, 'Delete');
    del.addEventListener('click', () =>
      ask(actions, {
        question,
        yes: 'Yes, delete',
        danger: true,
        run: async () => {
          try {
            await ctx.ipc.deleteScreenshot(s.id);
            ctx.clear("Couldn't delete the screenshot");
            ctx.say(
              s.deleteKeepsTime
                ? `Deleted the screenshot taken at ${at}; its time stays.`
                : `Deleted the screenshot taken at ${at} and its time.`,
            );
            await reload();
            return true;
          } catch (e) {
            ctx.report("Couldn't delete the screenshot", e);
            return false;
          }
        },
      }),
    );
    actions.append(s.uploaded ? h('span', { class: 'muted' }, 'Uploaded') : del);
    return h(
      'li',
      null,
      h('figure', null, h('img', { src: s.thumbnail, alt: `Screenshot taken at ${at}`, width: 160 }), h('figcaption', null, at)),
      actions,
    );
  };

  const load = async () => {
    try {
      // The interval bounds the time a delete takes along; without it the question is vaguer, not wrong.
      const [shots, settings] = await Promise.all([ctx.ipc.recentScreenshots(), ctx.ipc.settings().catch(() => null)]);
      const interval = settings ? settings.screenshotIntervalSeconds : undefined;
      fill(
        el,
        shots.length
          ? h('ul', { class: 'shot-list' }, shots.map((s, i) => item(s, deleteShotQuestion(shots, i, interval, ctx.locale))))
          : h('p', { class: 'muted' }, 'No screenshots yet.'),
      );
    } catch (e) {
      loadFailed(ctx, el, "Couldn't load the screenshots", e, () => void load());
    }
  };

  return { el, load };
}
