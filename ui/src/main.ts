import './style.css';
import { App } from './app';

async function boot(): Promise<void> {
  // In `npm run dev` outside Tauri there is no backend: stand one in. Never in a build.
  if (import.meta.env.DEV && !('__TAURI_INTERNALS__' in window)) {
    const { installDevMock } = await import('./mock/dev');
    installDevMock();
  }
  await new App(document.getElementById('app')!).start();
}

void boot();
