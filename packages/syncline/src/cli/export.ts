// `syncline export cloudformation`: the app as a CloudFormation template for `aws cloudformation package` and
// `deploy`. The template goes to stdout (or -o); function bundles go beside it, and notes to stderr.
// `syncline export serverless`: the same app as a serverless.yml for `serverless deploy`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AppConfigError } from '../app/errors.js';
import { exportCloudFormation } from '../app/export/cloudformation.js';
import { exportServerless } from '../app/export/serverless.js';
import { loadApp } from '../app/index.js';

export function addExportCommand(program: Command): void {
  const exporter = program.command('export').description('write the app in a format AWS deploys');
  exporter
    .command('cloudformation')
    .description('a CloudFormation template: AppSync API, resolvers, tables, functions, triggers and scoped roles')
    .argument('[path]', 'the app folder, or its definition file', '.')
    .option('-o, --output <file>', 'write the template here instead of stdout')
    .option('--code-dir <folder>', "where function bundles go (default: 'syncline-export' beside the template)")
    .option('--stage <stage>', 'serverless.yml: the stage')
    .option('--stack <name>', 'CDK cloud assembly: the stack')
    .action(async (path: string, opts: { output?: string; codeDir?: string; stage?: string; stack?: string }) => {
      try {
        const app = await loadApp(path, { data: ':memory:', stage: opts.stage, stack: opts.stack });
        const templateDir = opts.output ? dirname(resolve(opts.output)) : process.cwd();
        const codeDir = resolve(opts.codeDir ?? join(templateDir, 'syncline-export'));
        const { template, notes } = await exportCloudFormation(app, { templateDir, codeDir });
        const text = `${JSON.stringify(template, null, 2)}\n`;
        if (opts.output) {
          mkdirSync(templateDir, { recursive: true });
          writeFileSync(resolve(opts.output), text);
        } else process.stdout.write(text);
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
        process.stderr.write(
          `functions bundled under ${codeDir}; deploy with:\n  aws cloudformation package --template-file <template> --s3-bucket <bucket> --output-template-file packaged.json\n  aws cloudformation deploy --template-file packaged.json --stack-name ${app.name} --capabilities CAPABILITY_IAM\n`,
        );
      } catch (error) {
        process.stderr.write(`${error instanceof AppConfigError ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
  exporter
    .command('serverless')
    .description('a serverless.yml (Framework v4 appSync block, or v3 with serverless-appsync-plugin v2)')
    .argument('[path]', 'the app folder, or its definition file', '.')
    .option('-o, --output <file>', 'write serverless.yml here instead of stdout')
    .option(
      '--code-dir <folder>',
      "where function bundles go when the file is not written in the app folder (default: 'syncline-export' beside it)",
    )
    .option('--stage <stage>', 'serverless.yml: the stage')
    .option('--stack <name>', 'CDK cloud assembly: the stack')
    .action(async (path: string, opts: { output?: string; codeDir?: string; stage?: string; stack?: string }) => {
      try {
        const app = await loadApp(path, { data: ':memory:', stage: opts.stage, stack: opts.stack });
        const outputDir = opts.output ? dirname(resolve(opts.output)) : process.cwd();
        const codeDir = resolve(opts.codeDir ?? join(outputDir, 'syncline-export'));
        const { yaml, notes } = await exportServerless(app, { outputDir, codeDir });
        if (opts.output) {
          mkdirSync(outputDir, { recursive: true });
          writeFileSync(resolve(opts.output), yaml);
        } else process.stdout.write(yaml);
        for (const note of notes) process.stderr.write(`note: ${note}\n`);
        process.stderr.write(
          `deploy with serverless deploy (Framework v4; v3 needs serverless-appsync-plugin v2) from ${outputDir}\n`,
        );
      } catch (error) {
        process.stderr.write(`${error instanceof AppConfigError ? error.message : String(error)}\n`);
        process.exitCode = 1;
      }
    });
}
