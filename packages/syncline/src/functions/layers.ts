// Lambda layers: each layer is unpacked under /opt, and Node.js finds its packages in /opt/nodejs/node20/node_modules
// and /opt/nodejs/node_modules *after* the function's own node_modules (they are on NODE_PATH). Locally a bundle's
// external imports resolve from the bundle's folder upwards, so the layers' packages that the function's own tree
// does not provide are linked into a node_modules beside the bundle; CommonJS `require` gets the same fallback.
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The folders a layer's packages live in, in Lambda's NODE_PATH order. */
export function layerModuleDirs(layers: readonly string[]): string[] {
  return layers.flatMap((layer) =>
    [join(layer, 'nodejs', 'node20', 'node_modules'), join(layer, 'nodejs', 'node_modules')].filter((d) =>
      existsSync(d),
    ),
  );
}

/** Whether Node would find `name` from `dir` upwards (the function's own packages win over layers). */
function resolvableFrom(dir: string, name: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules', name))) return true;
    if (dirname(d) === d) return false;
  }
}

function packagesIn(modules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const scoped of readdirSync(join(modules, entry))) names.push(`${entry}/${scoped}`);
    } else names.push(entry);
  }
  return names;
}

/** Links into `<bundleDir>/node_modules` each layer package the function's own tree lacks; first layer wins. */
export function linkLayerPackages(bundleDir: string, layers: readonly string[], sourceDir: string): void {
  const target = join(bundleDir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  const linked = new Set<string>();
  for (const modules of layerModuleDirs(layers)) {
    for (const name of packagesIn(modules)) {
      if (linked.has(name) || resolvableFrom(sourceDir, name)) continue;
      const link = join(target, name);
      mkdirSync(dirname(link), { recursive: true });
      symlinkSync(join(modules, name), link, 'dir');
      linked.add(name);
    }
  }
}

/** The `require` a CommonJS bundle gets: the handler's own resolution, then each layer folder in order. */
export function requireBanner(source: string, layers: readonly string[]): string {
  const bases = [source, ...layerModuleDirs(layers).map((d) => join(dirname(d), 'index.js'))];
  return [
    "import { createRequire as __synclineCreateRequire } from 'node:module';",
    `const __synclineRequires = ${JSON.stringify(bases)}.map((b) => __synclineCreateRequire(b));`,
    'const require = Object.assign((id) => {',
    '  let last;',
    '  for (const r of __synclineRequires) {',
    '    try { return r(id); } catch (e) { if (e?.code !== "MODULE_NOT_FOUND") throw e; last = e; }',
    '  }',
    '  throw last;',
    '}, { resolve: (id) => __synclineRequires[0].resolve(id) });',
  ].join('\n');
}
