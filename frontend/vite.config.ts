import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built into dist/ and served by Django: index.html by quiz/spa.py, the
// assets by whitenoise under /static/ (STATICFILES_DIRS includes dist/).
export default defineConfig({
  base: '/static/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8000',
      '/ws': { target: 'ws://127.0.0.1:8000', ws: true },
    },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
