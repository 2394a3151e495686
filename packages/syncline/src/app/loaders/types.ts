// What every definition format's loader offers: the files it recognises and a way to turn one into the AppModel.
import type { AppModel } from '../model.js';
import type { SecretStore } from '../secrets.js';

export interface LoadOptions {
  /** Data folder, or ':memory:'. Generated API keys are kept there so clients keep working across restarts. */
  data: string;
  /** Where generated API keys are kept instead of the data folder (a cluster's shared database). */
  apiKeys?: SecretStore;
  /** The definition file to read, when the caller names one (`syncline dev serverless.yml`). */
  file?: string;
  /** `--param Name=value`: Serverless `${param:Name}`, CloudFormation template Parameters. */
  params?: Record<string, string>;
  /** `--stage`: Serverless `${opt:stage}` / `${sls:stage}`. */
  stage?: string;
  /** `--region`: Serverless `${opt:region}`; the default region for all formats. */
  region?: string;
  /** `--stack`: the stack of a CDK cloud assembly to run, when it has several. */
  stack?: string;
  /** The process environment `${env:X}` reads; `process.env` when absent. */
  env?: NodeJS.ProcessEnv;
}

export interface AppLoader {
  /** The format's name, as users know it. */
  readonly format: 'syncline.config' | 'serverless' | 'cloudformation' | 'cdk';
  /** File names this loader looks for in an app folder, in order of preference. */
  readonly files: readonly string[];
  /** Whether a file named by the user (any name) is this format; called only for files not in `files`. */
  recognises?(file: string, text: string): boolean;
  /** Whether a file found by name in a folder really is this format (names such as manifest.json are common). */
  accepts?(file: string): boolean;
  load(file: string, options: LoadOptions): Promise<AppModel>;
}
