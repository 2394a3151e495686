// The one entry point: finds an app's definition in a folder (or takes the file named) and loads it with the
// loader for its format. Every format ends as the same AppModel; nothing below `app/` reads a definition file.
import { resolve } from 'node:path';
import { detectDefinition } from './detect.js';
import { AppConfigError } from './errors.js';
import { CONFIG_FILES } from './loaders/synclineConfig.js';
import type { LoadOptions } from './loaders/types.js';
import type { AppModel } from './model.js';

export { CONFIG_FILES } from './loaders/synclineConfig.js';
export type { LoadOptions } from './loaders/types.js';

/** The `syncline.config.*` file of a folder (for tools that only handle Syncline's own format). */
export function findConfigFile(dir: string): string {
  const found = detectDefinition(dir);
  if (found.loader.format !== 'syncline.config') {
    throw new AppConfigError(dir, null, `no app definition found (looked for ${CONFIG_FILES.join(', ')})`);
  }
  return found.file;
}

/**
 * Loads the app at `path` (a folder, or a definition file). `options.file` names the definition file when the
 * caller passes the folder separately (the server keeps its data folder next to the definition).
 */
export async function loadApp(path: string, options: LoadOptions): Promise<AppModel> {
  const target = options.file ? resolve(path, options.file) : resolve(path);
  const { loader, file } = detectDefinition(target);
  return loader.load(file, options);
}
