import { defineConfig } from 'vite';

// The UI tests' mock backend as one classic script, injected into the built
// app before it loads (tests/browser). Not shipped.
export default defineConfig({
  clearScreen: false,
  build: {
    target: 'es2022',
    outDir: 'dist-mock',
    emptyOutDir: true,
    minify: false,
    lib: { entry: 'src/mock/inject.ts', name: 'StintMock', formats: ['iife'], fileName: () => 'mock.js' },
  },
});
