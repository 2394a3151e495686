import { defineConfig } from 'vite';

// Built once at package build time and served by the server under /_console/ (and sometimes at /): relative asset
// URLs make one build work under either prefix. JSX goes through esbuild, so no React plugin is needed for a build.
export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
    rollupOptions: {
      // React libraries mark their modules "use client" for server components; a client-only bundle ignores it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
