/** "Still working?": asked after hours of running; unanswered, the timer stops at the last input. */
import { h, fill } from '../dom';
import type { Ctx } from '../app';
import type { StillWorking } from '../ipc';
import { toIpcError } from '../ipc';
import { errorText, stillWorkingText } from '../view';

export class StillWorkingDialog {
  readonly el: HTMLDialogElement;
  private ctx: Ctx;
  private showing: StillWorking | null = null;
  // Built once: a status refresh updates the words in place, so the focus stays where it is.
  private text = h('p', { id: 'still-d' });
  private error = h('p', { class: 'error', role: 'alert' });
  private yes: HTMLButtonElement;
  private stop: HTMLButtonElement;

  constructor(ctx: Ctx) {
    this.ctx = ctx;
    this.el = h('dialog', { class: 'idle', 'aria-labelledby': 'still-h', 'aria-describedby': 'still-d' });
    // The question must be answered: Escape does not dismiss it.
    this.el.addEventListener('cancel', (e) => e.preventDefault());
    this.yes = h('button', { type: 'button', class: 'primary', onclick: () => void this.answer(true) }, 'Yes, keep tracking');
    this.stop = h('button', { type: 'button', onclick: () => void this.answer(false) }, 'Stop now');
    fill(this.el, h('h2', { id: 'still-h' }, 'Still working?'), this.text, h('div', { class: 'buttons' }, this.yes, this.stop), this.error);
  }

  /** Shows the question (from status or the still-working event), or closes it once it is gone. */
  offer(q: StillWorking | null | undefined): void {
    if (!q) {
      this.close();
      return;
    }
    const fresh = !this.showing;
    this.showing = q;
    this.text.textContent = stillWorkingText(q, this.ctx.status().tracking, Date.now(), this.ctx.locale);
    if (!fresh) return;
    this.error.textContent = '';
    this.yes.disabled = this.stop.disabled = false;
    if (!this.el.isConnected) document.body.append(this.el);
    if (!this.el.open) this.el.showModal();
    this.yes.focus();
  }

  close(): void {
    this.showing = null;
    if (this.el.open) this.el.close();
  }

  private async answer(yes: boolean): Promise<void> {
    this.yes.disabled = this.stop.disabled = true;
    this.error.textContent = '';
    try {
      const s = yes ? await this.ctx.ipc.stillWorking() : await this.ctx.ipc.stop();
      this.close();
      this.ctx.say(yes ? 'Still tracking.' : 'Stopped the timer.');
      this.ctx.setStatus(s);
    } catch (e) {
      this.yes.disabled = this.stop.disabled = false;
      this.error.textContent = errorText("Couldn't answer", toIpcError(yes ? 'still_working' : 'stop', e));
      (yes ? this.yes : this.stop).focus();
    }
  }
}
