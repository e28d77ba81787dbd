/**
 * `npm run dev` in a plain browser: no Tauri, so the mock backend stands in.
 * `?signedIn=1` starts signed in, `?manager=1` adds Approvals, `?offline=1`
 * shows the offline banner. In the console: `__stintMock.goIdle(12)` then
 * `__stintMock.comeBack()` to see the idle prompt.
 */
import { installMockBackend, demoScenario } from './backend';

export function installDevMock(): void {
  const q = new URLSearchParams(location.search);
  const demo = demoScenario();
  const control = installMockBackend({
    signedIn: q.has('signedIn') || q.has('manager') || q.has('offline'),
    user: { ...demo.user!, canApprove: q.has('manager'), canManageProjects: q.has('manager') },
    sync: q.has('offline')
      ? { pending: 3, failed: 0, lastSync: demo.sync!.lastSync, offline: true, message: "Can't reach stint.acme.io" }
      : demo.sync,
    latencyMs: 150,
  });
  window.__stintMock = control;
  console.info('Stint UI: no Tauri here, using the mock backend (window.__stintMock).');
}
