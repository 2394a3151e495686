import type { AppConfig } from './config.js';

/** Identity at run time; it exists so `syncline.config.ts` gets the config type checked in the editor. */
export function defineApp(config: AppConfig): AppConfig {
  return config;
}
