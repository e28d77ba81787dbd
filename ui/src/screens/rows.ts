/**
 * One time entry as two lines instead of a five-column table row, so the
 * lists fit a 360 px window: what and which project on the first line, the
 * time range and duration right-aligned on the second, with small badges
 * (sync, idle) on its left. Used by the recent time and the timesheet.
 */
import { h } from '../dom';

export interface RowParts {
  description: string;
  project: string | null;
  /** "09:12 – 10:30". */
  range: string;
  /** The duration cell; callers that tick it keep a reference. */
  duration: HTMLElement;
  badges?: HTMLElement[];
  /** A third line in words (e.g. why the server refused it). */
  note?: string | null;
  /** A button or two at the end of the first line (e.g. Continue). */
  actions?: HTMLElement[];
  className?: string;
}

export function entryRow(p: RowParts): HTMLLIElement {
  return h(
    'li',
    { class: `row${p.className ? ` ${p.className}` : ''}` },
    h(
      'div',
      { class: 'row-top' },
      h(
        'p',
        { class: 'row-what' },
        h('span', { class: 'row-desc' }, p.description || 'No description'),
        ' ',
        h('span', { class: 'row-project' }, p.project ?? 'No project'),
      ),
      p.actions?.length ? h('div', { class: 'row-actions' }, p.actions) : null,
    ),
    h(
      'div',
      { class: 'row-bottom' },
      h('span', { class: 'row-badges' }, p.badges ?? []),
      h('span', { class: 'row-when' }, h('span', { class: 'row-range' }, p.range), p.duration),
    ),
    p.note ? h('p', { class: 'row-note' }, p.note) : null,
  );
}

export function badge(text: string, kind: string, title?: string): HTMLElement {
  return h('span', { class: `badge badge-${kind}`, title }, text);
}
