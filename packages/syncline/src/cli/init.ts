// `syncline init [dir] --template <name>`: a working app to start from. The chat and todo templates ship in the
// package (templates/); realtime-orders is the reference app itself, copied from the repository's examples folder
// so there is one copy of it to keep working.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, Option } from 'commander';

export const TEMPLATES = ['realtime-orders', 'chat', 'todo'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where a template's files are; undefined when this install does not carry it. */
export function templateSource(name: TemplateName): string | undefined {
  const folder =
    name === 'realtime-orders'
      ? join(PACKAGE_ROOT, '..', '..', 'examples', 'realtime-orders')
      : join(PACKAGE_ROOT, 'templates', name);
  return existsSync(folder) ? folder : undefined;
}

// What a copy of the reference app must not take along: installed packages, its data, its built page, its tests
// (they import the repository's test helpers).
const SKIPPED = new Set(['node_modules', '.syncline', 'dist', 'test']);

export class InitError extends Error {}

/** Copies the template into `dir`, which must be absent or empty; returns the files written, relative to `dir`. */
export function initApp(dir: string, template: TemplateName): string[] {
  const target = resolve(dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new InitError(`${target} exists and is not a folder`);
    // Refused rather than merged: an init must never overwrite someone's work.
    if (readdirSync(target).length > 0) throw new InitError(`${target} is not empty; choose a new or empty folder`);
  }
  const source = templateSource(template);
  if (!source) throw new InitError(`the ${template} template is not part of this install`);
  mkdirSync(target, { recursive: true });
  cpSync(source, target, {
    recursive: true,
    filter: (path) => {
      const rel = relative(source, path);
      return rel === '' || !rel.split(sep).some((part) => SKIPPED.has(part));
    },
  });
  if (!existsSync(join(target, 'package.json'))) {
    writeFileSync(
      join(target, 'package.json'),
      `${JSON.stringify(packageJson(template, basename(target)), null, 2)}\n`,
    );
  }
  return listFiles(target).map((path) => relative(target, path));
}

/** The app's own package.json: `npm run dev`, and what its functions and page import (the repo's workspace gives them). */
function packageJson(template: TemplateName, name: string) {
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  const dependencies: Record<string, string> =
    template === 'realtime-orders'
      ? {
          '@aws-crypto/sha256-js': '^5.2.0',
          '@aws-sdk/client-dynamodb': '^3.1164.0',
          '@aws-sdk/lib-dynamodb': '^3.1162.0',
          '@smithy/signature-v4': '^5.7.5',
          'aws-amplify': '^6.22.1',
          esbuild: '^0.28.2',
        }
      : {};
  return {
    name: name.toLowerCase().replace(/[^a-z0-9-]/g, '-') || template,
    private: true,
    type: 'module',
    scripts: { dev: 'syncline dev --port 4000', start: 'syncline start --port 4000' },
    dependencies,
    devDependencies: { syncline: `^${version}` },
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

export function addInitCommand(program: Command): void {
  program
    .command('init')
    .description('create an app from a template in a new or empty folder')
    .argument('[dir]', 'the folder to create the app in', '.')
    .addOption(new Option('--template <name>', 'the app to start from').choices(TEMPLATES).default('todo'))
    .action((dir: string, opts: { template: TemplateName }) => {
      try {
        const files = initApp(dir, opts.template);
        const where = relative(process.cwd(), resolve(dir)) || '.';
        process.stdout.write(
          `Created the ${opts.template} app in ${where} (${files.length} files).\n\n` +
            `  syncline dev ${where === '.' ? '' : `${where} `}--port 4000\n\n` +
            `then open the GraphQL endpoint it prints${opts.template === 'realtime-orders' ? ', or the Web address' : ''}.\n`,
        );
        if (opts.template === 'realtime-orders') {
          process.stdout.write('\nIts board and functions import packages: run `npm install` there first.\n');
        }
      } catch (error) {
        process.stderr.write(`syncline: ${(error as Error).message}\n`);
        process.exitCode = 1;
      }
    });
}
