// Picks the loader for what a path holds: a definition file named by the user, or the first definition file
// found in a folder (syncline.config first: an app that has both was converted and the config is the truth).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { AppConfigError } from './errors.js';
import { LOADERS } from './loaders/index.js';
import type { AppLoader } from './loaders/types.js';

export interface Detected {
  loader: AppLoader;
  /** Absolute path of the definition file. */
  file: string;
}

export function detectDefinition(path: string): Detected {
  const target = resolve(path);
  if (!existsSync(target)) throw new AppConfigError(target, null, 'no such file or folder');
  if (statSync(target).isFile()) return detectFile(target);
  for (const loader of LOADERS) {
    for (const name of loader.files) {
      const file = join(target, name);
      if (existsSync(file) && (!loader.accepts || loader.accepts(file))) return { loader, file };
    }
  }
  const names = LOADERS.flatMap((l) => l.files);
  throw new AppConfigError(target, null, `no app definition found (looked for ${names.join(', ')})`);
}

function detectFile(file: string): Detected {
  const name = basename(file);
  for (const loader of LOADERS) if (loader.files.includes(name)) return { loader, file };
  const text = readFileSync(file, 'utf8');
  for (const loader of LOADERS) if (loader.recognises?.(file, text)) return { loader, file };
  throw new AppConfigError(
    file,
    null,
    'not an app definition Syncline reads (a syncline.config file, a Serverless Framework serverless.yml, a CloudFormation/SAM template, or a CDK cloud assembly (cdk.out/manifest.json))',
  );
}
