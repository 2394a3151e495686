// CSS imports are handled by Vite at build time.
declare module '*.css';
