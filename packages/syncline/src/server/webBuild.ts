// Runs the app's `web.build` command before its web folder is served, at start and on each reload, so one
// `syncline dev` both builds and serves the page. The command is the user's, like the build step of Amplify
// Hosting: `vite build`, `node web/build.mjs`, anything that writes `web.dir`. A build is skipped when nothing in
// the app folder changed since the last one (webBuildKey.ts), so a second start serves the page at once.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Logger } from 'pino';
import { AppConfigError } from '../app/errors.js';
import type { AppModel } from '../app/model.js';
import { webBuildKey } from './webBuildKey.js';

/** Enough of a failed build's output to see the error without flooding the terminal. */
const OUTPUT_TAIL = 8 * 1024;

export async function buildWeb(app: AppModel, log: Logger): Promise<void> {
  const web = app.web;
  if (!web?.build) return;
  const started = performance.now();
  // A dot file: the static route never serves those.
  const stamp = join(web.dir, '.syncline-build');
  const key = webBuildKey(app.dir, web.dir, web.build);
  if (key !== undefined && existsSync(stamp) && readText(stamp) === key) {
    log.info(`${relative(app.dir, web.dir)} is up to date: no file in the app folder changed since its build`);
    return;
  }
  const { code, output } = await run(web.build, app.dir);
  if (code !== 0) {
    throw new AppConfigError(app.configFile, 'web.build', `\`${web.build}\` exited with ${code}\n${output.trimEnd()}`);
  }
  if (!existsSync(web.dir)) {
    throw new AppConfigError(
      app.configFile,
      'web.dir',
      `\`${web.build}\` succeeded but did not write ${relative(app.dir, web.dir)}`,
    );
  }
  if (key !== undefined) writeFileSync(stamp, key);
  log.info(
    `built ${relative(app.dir, web.dir)} with \`${web.build}\` in ${Math.round(performance.now() - started)} ms`,
  );
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function run(command: string, cwd: string): Promise<{ code: number | string; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, { cwd, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', (error) => done({ code: error.message, output }));
    child.once('close', (code, signal) => done({ code: code ?? `signal ${signal}`, output }));
  });
}
