/**
 * The UI tests' entry: built as one classic script (dist-mock/mock.js) that
 * the browser tests inject before the BUILT app loads. It installs the mock
 * backend with the scenario the test put in `window.__STINT_SCENARIO__` and
 * exposes its handle as `window.__stintMock`.
 */
import { installMockBackend, type MockControl, type Scenario } from './backend';

declare global {
  interface Window {
    __STINT_SCENARIO__?: Scenario;
    __stintMock?: MockControl;
  }
}

window.__stintMock = installMockBackend(window.__STINT_SCENARIO__ ?? {});
