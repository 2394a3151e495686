// CDK cloud assemblies (`cdk.out/` after `cdk synth`): the stack's template is a CloudFormation template whose
// code lives in assets. Each asset reference (a Lambda `Code` with the `aws:asset:*` metadata `sam local` also
// reads, an AppSync `CodeS3Location` or `DefinitionS3Location` naming an asset's object key) is rewritten to the
// asset's local file or folder, then the template is read by the CloudFormation loader like any other.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { AppConfigError } from '../errors.js';
import type { AppModel } from '../model.js';
import { loadTemplate } from './cloudformation/index.js';
import type { AppLoader, LoadOptions } from './types.js';

export const cdkLoader: AppLoader = {
  format: 'cdk',
  // `syncline dev <cdk app folder>` reads its synthesized assembly; `syncline dev cdk.out` reads it directly.
  files: ['cdk.out/manifest.json', 'manifest.json'],
  accepts: (file) => isCloudAssembly(file),
  recognises: (file) => basename(file) === 'manifest.json' && isCloudAssembly(file),
  load: loadAssembly,
};

interface Artifact {
  type: string;
  properties?: { templateFile?: string; file?: string };
  dependencies?: string[];
  displayName?: string;
}

interface AssetManifest {
  files?: Record<
    string,
    { source?: { path?: string; packaging?: string }; destinations?: Record<string, { objectKey?: string }> }
  >;
}

function isCloudAssembly(file: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { artifacts?: Record<string, Artifact> };
    return Object.values(manifest.artifacts ?? {}).some((a) => a.type === 'aws:cloudformation:stack');
  } catch {
    return false;
  }
}

async function loadAssembly(manifestFile: string, options: LoadOptions): Promise<AppModel> {
  const dir = dirname(manifestFile);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts?: Record<string, Artifact> };
  const artifacts = manifest.artifacts ?? {};
  const stacks = Object.entries(artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const wanted = options.stack;
  const picked = wanted ? stacks.filter(([id, a]) => id === wanted || a.displayName === wanted) : stacks;
  if (!picked.length) {
    throw new AppConfigError(
      manifestFile,
      'artifacts',
      wanted
        ? `no stack ${wanted} in this cloud assembly (it has ${stacks.map(([id]) => id).join(', ')})`
        : 'no CloudFormation stack in this cloud assembly',
    );
  }
  if (picked.length > 1) {
    throw new AppConfigError(
      manifestFile,
      'artifacts',
      `the cloud assembly has ${picked.length} stacks (${picked.map(([id]) => id).join(', ')}): Syncline runs one app per process; pick one with --stack <name>`,
    );
  }
  const [stackId, stack] = picked[0];
  const templateOf = (id: string, a: Artifact) => {
    const file = join(dir, a.properties?.templateFile ?? `${id}.template.json`);
    if (!existsSync(file)) throw new AppConfigError(manifestFile, `artifacts.${id}`, 'template not found');
    return file;
  };
  const templateFile = templateOf(stackId, stack);

  // As `cdk deploy <stack>` deploys the stacks it depends on first, they run here too: their resources in the
  // same app, their exports answering this stack's Fn::ImportValue.
  const companions: string[] = [];
  const visit = (id: string) => {
    for (const dep of artifacts[id]?.dependencies ?? []) {
      if (artifacts[dep]?.type !== 'aws:cloudformation:stack' || dep === stackId || companions.includes(dep)) continue;
      companions.push(dep);
      visit(dep);
    }
  };
  visit(stackId);
  const loaded = [stackId, ...companions];

  // Object key → local asset path, from the asset manifests the loaded stacks depend on (nested stacks' assets,
  // their templates included, are in their parent's manifest).
  const assets = new Map<string, string>();
  for (const dep of loaded.flatMap((id) => artifacts[id].dependencies ?? [])) {
    const a = artifacts[dep];
    if (a?.type !== 'cdk:asset-manifest' || !a.properties?.file) continue;
    const assetManifest = JSON.parse(readFileSync(join(dir, a.properties.file), 'utf8')) as AssetManifest;
    for (const entry of Object.values(assetManifest.files ?? {})) {
      const path = entry.source?.path;
      if (!path) continue;
      for (const d of Object.values(entry.destinations ?? {})) if (d.objectKey) assets.set(d.objectKey, path);
    }
  }

  // Exports of the assembly's other stacks, to name the stack when an import is refused.
  const exportedBy = (name: string): string | undefined => {
    for (const [id, a] of stacks) {
      if (loaded.includes(id)) continue;
      const outputs = (JSON.parse(readFileSync(templateOf(id, a), 'utf8')) as { Outputs?: Record<string, unknown> })
        .Outputs;
      const found = Object.values(outputs ?? {}).some(
        (o) => (o as { Export?: { Name?: unknown } })?.Export?.Name === name,
      );
      if (found) return a.displayName ?? id;
    }
    return undefined;
  };

  const model = await loadTemplate(templateFile, options, {
    stackName: stack.displayName ?? stackId,
    prepare: (file, template) => localAssets(file, template as Template, dir, assets),
    companions: companions.map((id) => ({
      file: templateOf(id, artifacts[id]),
      stackName: artifacts[id].displayName ?? id,
      label: id,
    })),
    exportedBy,
  });
  model.format = 'cdk';
  return model;
}

interface Template {
  Resources?: Record<
    string,
    { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
  Rules?: unknown;
}

/** Rewrites each asset reference of a template (a nested stack's too) to its local file or folder. */
function localAssets(templateFile: string, template: Template, dir: string, assets: Map<string, string>): void {
  const assetAt = (value: unknown): string | undefined => {
    // `s3://bucket/<key>` (possibly inside Fn::Sub) or a bare key: the object key is the last path segment.
    const text = typeof value === 'string' ? value : (value as { 'Fn::Sub'?: unknown } | null)?.['Fn::Sub'];
    if (typeof text !== 'string') return undefined;
    const key = text.slice(text.lastIndexOf('/') + 1);
    return assets.get(key);
  };
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    const props = r.Properties;
    if (!props) continue;
    const metaPath = r.Metadata?.['aws:asset:path'];
    const metaProperty = r.Metadata?.['aws:asset:property'];
    if (typeof metaPath === 'string' && typeof metaProperty === 'string' && metaProperty in props) {
      if (!existsSync(resolve(dir, metaPath))) {
        throw new AppConfigError(
          templateFile,
          `Resources.${id}.Metadata.aws:asset:path`,
          `asset not found: ${metaPath}`,
        );
      }
      // A Lambda::Function's Code becomes the folder itself, read like SAM's CodeUri; a nested stack's
      // TemplateURL its `*.nested.template.json`.
      props[metaProperty] = metaPath;
      continue;
    }
    if (r.Type === 'AWS::Lambda::Function') {
      const code = props.Code as { S3Key?: unknown } | undefined;
      const local = assetAt(code?.S3Key);
      if (local) props.Code = local;
    }
    for (const key of [
      'CodeS3Location',
      'DefinitionS3Location',
      'RequestMappingTemplateS3Location',
      'ResponseMappingTemplateS3Location',
    ]) {
      const local = key in props ? assetAt(props[key]) : undefined;
      if (local) props[key] = local;
    }
  }
  // Rules (the bootstrap version check) only run in CloudFormation.
  delete template.Rules;
}
