export type { AppConfig } from './config.js';
export { defineApp } from './defineApp.js';
export { AppConfigError } from './errors.js';
export { CONFIG_FILES, findConfigFile, loadApp } from './load.js';
export type * from './model.js';
