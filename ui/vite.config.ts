import { defineConfig } from 'vitest/config';

// The app Tauri ships: dist/. The mock backend is only reachable in dev
// (import.meta.env.DEV), so it is not in this bundle.
export default defineConfig({
  clearScreen: false,
  server: { host: '127.0.0.1', port: 1420, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, sourcemap: false },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
