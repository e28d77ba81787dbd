/** "You were idle for 12 min — Keep 12 min / Discard 12 min, keep tracking / Discard and stop at 09:48", one prompt at a time. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { IdleAnswer, IdlePrompt } from '../ipc';
import { toIpcError } from '../ipc';
import { errorText, idleDefault, idleExplanation, idleLabels, idleQuestion } from '../view';

const ANSWERS: IdleAnswer[] = ['keep', 'discard', 'stop'];
const SAID: Record<IdleAnswer, string> = {
  keep: 'Kept the idle time as work time.',
  discard: 'Discarded the idle time.',
  stop: 'Discarded the idle time and stopped the timer.',
};

export class IdleDialog {
  readonly el: HTMLDialogElement;
  private queue: IdlePrompt[] = [];
  private answered = new Set<string>();
  private showing: IdlePrompt | null = null;
  /** Prompts answered since the dialog opened, for "2 of 3". */
  private done = 0;
  private ctx: Ctx;
  // Built once: a status refresh updates their words in place, so the focus stays where it is.
  private heading = h('h2', { id: 'idle-h' });
  private position = h('p', { class: 'muted idle-position' });
  private text = h('p', { id: 'idle-d' });
  private error = h('p', { class: 'error', role: 'alert' });
  private buttons = new Map<IdleAnswer, HTMLButtonElement>();

  constructor(ctx: Ctx) {
    this.ctx = ctx;
    this.el = h('dialog', { class: 'idle', 'aria-labelledby': 'idle-h', 'aria-describedby': 'idle-d' });
    // The question must be answered: Escape does not dismiss it.
    this.el.addEventListener('cancel', (e) => e.preventDefault());
    for (const a of ANSWERS) {
      this.buttons.set(a, h('button', { type: 'button', onclick: () => void this.answer(a) }));
    }
    fill(this.el, this.position, this.heading, this.text, h('div', { class: 'buttons' }, [...this.buttons.values()]), this.error);
  }

  /** Adds prompts not seen yet (from status or the idle-prompt event) and shows the first. */
  offer(prompts: IdlePrompt[]): void {
    for (const p of prompts) {
      if (this.answered.has(p.idleLogId)) continue;
      if (this.showing?.idleLogId === p.idleLogId) {
        this.showing = p; // the same stretch, maybe longer now
        continue;
      }
      const i = this.queue.findIndex((q) => q.idleLogId === p.idleLogId);
      if (i >= 0) this.queue[i] = p;
      else this.queue.push(p);
    }
    if (this.showing) this.render();
    else this.next();
  }

  close(): void {
    this.queue = [];
    this.showing = null;
    this.done = 0;
    if (this.el.open) this.el.close();
  }

  private next(): void {
    if (this.showing) return;
    const p = this.queue.shift();
    if (!p) {
      this.done = 0;
      if (this.el.open) this.el.close();
      return;
    }
    this.showing = p;
    this.error.textContent = '';
    this.buttons.forEach((b) => (b.disabled = false));
    this.render();
    if (!this.el.isConnected) document.body.append(this.el);
    if (!this.el.open) this.el.showModal();
    // Enter keeps a short absence; after a long one it discards, keeping the timer on.
    this.buttons.get(idleDefault(p))!.focus();
  }

  /** The words, from the prompt and what is tracked; the elements stay. */
  private render(): void {
    const p = this.showing;
    if (!p) return;
    const t = this.ctx.status().tracking;
    const labels = idleLabels(p, t.state !== 'stopped', this.ctx.locale);
    const first = idleDefault(p);
    this.heading.textContent = idleQuestion(p);
    this.text.textContent = idleExplanation(p, t, this.ctx.locale);
    const total = this.done + 1 + this.queue.length;
    this.position.textContent = total > 1 ? `${this.done + 1} of ${total}` : '';
    for (const a of ANSWERS) {
      const b = this.buttons.get(a)!;
      if (b.textContent !== labels[a]) b.textContent = labels[a];
      b.className = a === first ? 'primary' : a === 'stop' ? 'danger' : '';
    }
  }

  private async answer(a: IdleAnswer): Promise<void> {
    const p = this.showing;
    if (!p) return;
    this.buttons.forEach((b) => (b.disabled = true));
    this.error.textContent = '';
    try {
      const s = await this.ctx.ipc.answerIdle({ idleLogId: p.idleLogId, answer: a });
      this.answered.add(p.idleLogId);
      this.showing = null;
      this.done += 1;
      this.ctx.say(SAID[a]);
      this.ctx.setStatus(s);
      this.next();
    } catch (e) {
      this.buttons.forEach((b) => (b.disabled = false));
      this.error.textContent = errorText("Couldn't answer", toIpcError('answer_idle', e));
      this.buttons.get(a)!.focus();
    }
  }
}
