import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { IpcError, ipc, toIpcError } from './ipc';

beforeEach(() => {
  // @tauri-apps/api talks to `window`; in Node the global object stands in.
  vi.stubGlobal('window', globalThis);
});
afterEach(() => {
  clearMocks();
  vi.unstubAllGlobals();
});

describe('toIpcError: every rejection becomes {code, message} in words', () => {
  test('the contract: {code, message}', () => {
    const e = toIpcError('start', { code: 'offline', message: "Can't reach stint.acme.io" });
    expect(e).toBeInstanceOf(IpcError);
    expect(e).toBeInstanceOf(Error);
    expect([e.code, e.message, e.command]).toEqual(['offline', "Can't reach stint.acme.io", 'start']);
  });
  test("Tauri's own failures arrive as strings", () => {
    const e = toIpcError('stop', 'command stop not found');
    expect([e.code, e.message]).toEqual(['internal', 'command stop not found']);
  });
  test('an Error or an object with only a message keeps the message', () => {
    expect(toIpcError('x', new TypeError('boom')).message).toBe('boom');
    expect(toIpcError('x', { message: 'disk full' }).code).toBe('internal');
  });
  test('nothing readable still says something', () => {
    for (const v of [undefined, null, '', '  ', 42, {}, { code: 'offline' }, { code: 'x', message: '' }]) {
      const e = toIpcError('status', v);
      expect(e.code).toBe('internal');
      expect(e.message).toMatch(/Something went wrong \(status\)/);
    }
  });
  test('an IpcError passes through', () => {
    const e = new IpcError('refused', 'no', 'approve');
    expect(toIpcError('other', e)).toBe(e);
  });
});

describe('ipc: command names and argument shapes', () => {
  test('each function invokes its snake_case command with camelCase args', async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    await ipc.status();
    await ipc.signIn({ server: 'https://s', email: 'a@b', password: 'p' });
    await ipc.useThisComputerOnly();
    await ipc.start({ projectId: null, description: '' });
    await ipc.stop();
    await ipc.answerIdle({ idleLogId: 'i1', answer: 'stop' });
    await ipc.deleteScreenshot('s1');
    await ipc.saveSettings({ idleThresholdSeconds: 300, screenshotIntervalSeconds: null, screens: 'all', blur: false, startAtLogin: false, stillWorkingHours: 10, neverCapture: '', remindToStartMinutes: 5 });
    await ipc.timesheet();
    await ipc.timesheet('2026-06-07');
    await ipc.submitTimesheet('t1');
    await ipc.pendingApprovals();
    await ipc.approve('t2');
    await ipc.reject('t3', 'Add Tuesday');
    await ipc.approvalWeek('t4');
    await ipc.screenshotViews();
    expect(seen).toEqual([
      ['status', {}],
      ['sign_in', { server: 'https://s', email: 'a@b', password: 'p' }],
      ['use_this_computer_only', {}],
      ['start', { projectId: null, description: '' }],
      ['stop', {}],
      ['answer_idle', { idleLogId: 'i1', answer: 'stop' }],
      ['delete_screenshot', { id: 's1' }],
      ['save_settings', { settings: { idleThresholdSeconds: 300, screenshotIntervalSeconds: null, screens: 'all', blur: false, startAtLogin: false, stillWorkingHours: 10, neverCapture: '', remindToStartMinutes: 5 } }],
      ['timesheet', { weekStart: null }],
      ['timesheet', { weekStart: '2026-06-07' }],
      ['submit_timesheet', { id: 't1' }],
      ['pending_approvals', {}],
      ['approve', { id: 't2' }],
      ['reject', { id: 't3', reason: 'Add Tuesday' }],
      ['approval_week', { id: 't4' }],
      ['screenshot_views', {}],
    ]);
  });

  test('a rejected invoke becomes a typed IpcError', async () => {
    mockIPC(() => {
      throw { code: 'refused', message: 'Wrong email or password' };
    });
    const e = await ipc.signIn({ server: 'https://s', email: 'a@b', password: 'x' }).catch((x) => x);
    expect(e).toBeInstanceOf(IpcError);
    expect([e.code, e.message, e.command]).toEqual(['refused', 'Wrong email or password', 'sign_in']);
  });

  test('events reach the handler with their payload', async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const got: unknown[] = [];
    const un = await ipc.on('idle-prompt', (p) => got.push(p));
    await emit('idle-prompt', { idleLogId: 'i', from: 'a', to: 'b' });
    await un();
    await emit('idle-prompt', { idleLogId: 'j', from: 'a', to: 'b' });
    expect(got).toEqual([{ idleLogId: 'i', from: 'a', to: 'b' }]);
  });
});
