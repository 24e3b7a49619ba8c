import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // React's automatic JSX runtime through esbuild; no framework plugin needed.
  esbuild: { jsx: 'automatic' },
  plugins: [
    // .br and .gz beside every text asset at build time, so the server never compresses a static file per request.
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 512, exclude: [/\.(png|jpe?g|webp|woff2?)$/] }),
  ],
  build: {
    outDir: fileURLToPath(new URL('../dist/client', import.meta.url)),
    emptyOutDir: true,
    // Source maps are not built: a 2.8 MB public map helps nobody in a village and shows our code to everyone.
    sourcemap: false,
    rollupOptions: {
      output: {
        // React and i18n change rarely; a separate chunk stays cached across releases of the app code.
        manualChunks(id) {
          if (/node_modules[\\/](react|react-dom|scheduler|i18next|react-i18next)[\\/]/.test(id)) return 'vendor-react';
          // The contract (zod schemas): the room and the back office need it, the invite page's first screen must not carry it.
          // Its plain-data modules without zod (the ledger's Chinese words, read by the Chinese catalogue) go with their importers.
          if (/[\\/]signaling[\\/](?!ledgerLabels\.)|node_modules[\\/]zod[\\/]/.test(id)) return 'signaling';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      '/api': 'http://127.0.0.1:3000',
    },
  },
});
