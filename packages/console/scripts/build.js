// Builds the console with vite unless dist/ already holds the build of exactly these sources: `npm start` runs the
// workspace build every time, and the console's build (tens of seconds) would otherwise precede every start. The
// key hashes every input vite reads from this package (sources, index.html, configs, the locked dependency tree).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-key');

function files(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : [path];
    });
}

const inputs = [
  ...files(join(root, 'src')),
  ...['index.html', 'vite-env.d.ts', 'vite.config.ts', 'tsconfig.json', 'package.json', '../../package-lock.json'].map(
    (f) => join(root, f),
  ),
].filter((f) => existsSync(f));
const hash = createHash('sha256');
for (const file of inputs) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
const key = hash.digest('hex');

if (!process.argv.includes('--force') && existsSync(stamp) && readFileSync(stamp, 'utf8') === key) {
  console.log('console: dist/ is up to date with its sources (npm run build -w @syncline/console -- --force rebuilds)');
} else {
  await build({ root, logLevel: 'warn' });
  writeFileSync(stamp, key);
  console.log('console: built dist/');
}
