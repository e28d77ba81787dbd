/**
 * One-click starts: the last five project/task pairs the timer was started
 * on, kept in the window's storage (a convenience of this computer, like
 * the remembered project). A pair whose project is no longer offered
 * (archived, or another person's list) is left out.
 */
import { h, fill } from '../dom';
import { type RecentPair, addRecentPair, pairLabel } from '../view';

const KEY = 'stint.recentPairs';

export interface RecentPairs {
  el: HTMLElement;
  /** Redraws, offering only pairs whose project `usable` still names. */
  render(usable: (projectId: string) => boolean): void;
  /** A start on `p` happened. */
  add(p: RecentPair): void;
}

function read(): RecentPair[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(v) ? (v as RecentPair[]) : [];
  } catch {
    return []; // storage off or garbled: nothing offered
  }
}

export function recentPairs(start: (p: RecentPair) => void): RecentPairs {
  const list = h('ul', { class: 'pairs' });
  const el = h('div', { class: 'recent-pairs', hidden: true }, h('p', { class: 'muted', id: 'pairs-h' }, 'Start again on'), list);
  list.setAttribute('aria-labelledby', 'pairs-h');
  let usable: (projectId: string) => boolean = () => true;

  const render = () => {
    const pairs = read().filter((p) => usable(p.projectId));
    fill(
      list,
      pairs.map((p) =>
        h('li', null, h('button', { type: 'button', class: 'pair', onclick: () => start(p) }, pairLabel(p))),
      ),
    );
    el.hidden = pairs.length === 0;
  };

  return {
    el,
    render(u) {
      usable = u;
      render();
    },
    add(p) {
      try {
        localStorage.setItem(KEY, JSON.stringify(addRecentPair(read(), p)));
      } catch {
        // storage off: nothing remembered
      }
      render();
    },
  };
}
