export type { AppConfig } from './config.js';
export { defineApp } from './defineApp.js';
export { type Detected, detectDefinition } from './detect.js';
export { AppConfigError } from './errors.js';
export { CONFIG_FILES, findConfigFile, type LoadOptions, loadApp } from './load.js';
export type * from './model.js';
