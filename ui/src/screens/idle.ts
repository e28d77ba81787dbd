/** "You were idle for 12 min — Keep / Discard / Discard & stop", one prompt at a time. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { IdleAnswer, IdlePrompt } from '../ipc';
import { formatTime } from '../format';
import { errorText, idleQuestion } from '../view';
import { toIpcError } from '../ipc';

export class IdleDialog {
  readonly el: HTMLDialogElement;
  private queue: IdlePrompt[] = [];
  private answered = new Set<string>();
  private showing: IdlePrompt | null = null;
  private ctx: Ctx;

  constructor(ctx: Ctx) {
    this.ctx = ctx;
    this.el = h('dialog', { class: 'idle', 'aria-labelledby': 'idle-h', 'aria-describedby': 'idle-d' });
    // The question must be answered: Escape does not dismiss it.
    this.el.addEventListener('cancel', (e) => e.preventDefault());
  }

  /** Adds prompts not seen yet (from status or the idle-prompt event) and shows the first. */
  offer(prompts: IdlePrompt[]): void {
    for (const p of prompts) {
      if (this.answered.has(p.idleLogId)) continue;
      if (this.showing?.idleLogId === p.idleLogId) {
        this.showing = p; // the same stretch, maybe longer now
        this.render();
        continue;
      }
      const i = this.queue.findIndex((q) => q.idleLogId === p.idleLogId);
      if (i >= 0) this.queue[i] = p;
      else this.queue.push(p);
    }
    this.next();
  }

  close(): void {
    this.queue = [];
    this.showing = null;
    if (this.el.open) this.el.close();
  }

  private next(): void {
    if (this.showing) return;
    const p = this.queue.shift();
    if (!p) {
      if (this.el.open) this.el.close();
      return;
    }
    this.showing = p;
    this.render();
    if (!this.el.isConnected) document.body.append(this.el);
    if (!this.el.open) this.el.showModal();
    (this.el.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  private render(): void {
    const p = this.showing;
    if (!p) return;
    const locale = this.ctx.locale;
    const error = h('p', { class: 'error', role: 'alert' });
    const buttons: HTMLButtonElement[] = [];
    const answer = async (a: IdleAnswer) => {
      buttons.forEach((b) => (b.disabled = true));
      error.textContent = '';
      try {
        const s = await this.ctx.ipc.answerIdle({ idleLogId: p.idleLogId, answer: a });
        this.answered.add(p.idleLogId);
        this.showing = null;
        this.ctx.say(
          a === 'keep'
            ? 'Kept the idle time as work time.'
            : a === 'discard'
              ? 'Discarded the idle time.'
              : 'Discarded the idle time and stopped the timer.',
        );
        this.ctx.setStatus(s);
        this.next();
      } catch (e) {
        buttons.forEach((b) => (b.disabled = false));
        error.textContent = errorText("Couldn't answer", toIpcError('answer_idle', e));
      }
    };
    const button = (a: IdleAnswer, label: string, cls: string) => {
      const b = h('button', { type: 'button', class: cls, onclick: () => void answer(a) }, label);
      buttons.push(b);
      return b;
    };
    fill(
      this.el,
      h('h2', { id: 'idle-h' }, idleQuestion(p)),
      h(
        'p',
        { id: 'idle-d' },
        `From ${formatTime(p.from, locale)} to ${formatTime(p.to, locale)} you did not touch the keyboard or mouse. ` +
          'Keep it as work time, discard it, or discard it and stop the timer.',
      ),
      h(
        'div',
        { class: 'buttons' },
        button('keep', 'Keep', 'primary'),
        button('discard', 'Discard', ''),
        button('stop', 'Discard & stop', 'danger'),
      ),
      error,
    );
  }
}
