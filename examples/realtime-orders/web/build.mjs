// Bundles the page into web/dist: `syncline` runs this before serving (the app's `web.build`), and on AWS the
// same command is the build step of Amplify Hosting or of a CI job that uploads web/dist to S3 + CloudFront.
// index.html is written as Vite expects it (`<script type="module" src="/src/main.ts">`); this script swaps that
// tag for the hashed bundle and its stylesheet, so the page can move to Vite without touching the HTML.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const web = dirname(fileURLToPath(import.meta.url));
const dist = join(web, 'dist');
const ENTRY_TAG = '<script type="module" src="/src/main.ts"></script>';

const result = await build({
  entryPoints: [join(web, 'src/main.ts')],
  // Metafile paths are relative to this folder, wherever the command runs from.
  absWorkingDir: web,
  outdir: join(dist, 'assets'),
  // Content hashes in the names let the server cache assets as immutable; index.html is the only file revalidated.
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  metafile: true,
  write: false,
  logLevel: 'warning',
});

const url = (file) => `/${relative(dist, file).split('\\').join('/')}`;
const script = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint)?.[0];
if (!script) throw new Error('esbuild produced no entry bundle');
const styles = result.outputFiles.filter((file) => file.path.endsWith('.css')).map((file) => file.path);

const html = readFileSync(join(web, 'index.html'), 'utf8');
if (!html.includes(ENTRY_TAG)) throw new Error(`web/index.html must contain ${ENTRY_TAG}`);
const tags = [
  ...styles.map((file) => `<link rel="stylesheet" href="${url(file)}">`),
  `<script type="module" src="${url(join(web, script))}"></script>`,
].join('\n    ');

// A server may be serving dist while this runs (a reload in `syncline dev`, two tests starting the app at once),
// so every file is replaced by a rename, never truncated in place; unchanged files are left alone; and
// index.html, which names the others, is written last.
const files = [
  ...result.outputFiles.map((file) => ({ path: file.path, contents: Buffer.from(file.contents) })),
  { path: join(dist, 'index.html'), contents: Buffer.from(html.replace(ENTRY_TAG, tags)) },
];
for (const { path, contents } of files) {
  if (existsSync(path) && readFileSync(path).equals(contents)) continue;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}
// Assets of earlier builds go once nothing names them.
const current = new Set(files.map((file) => file.path));
for (const name of readdirSync(join(dist, 'assets'))) {
  const path = join(dist, 'assets', name);
  if (!current.has(path) && !name.endsWith('.tmp')) rmSync(path, { force: true });
}
