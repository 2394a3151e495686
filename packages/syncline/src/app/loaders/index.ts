// The definition formats Syncline reads, in the order a folder is searched.
import { cdkLoader } from './cdk.js';
import { cloudFormationLoader } from './cloudformation/index.js';
import { serverlessLoader } from './serverless/index.js';
import { synclineConfigLoader } from './synclineConfig.js';
import type { AppLoader } from './types.js';

export const LOADERS: readonly AppLoader[] = [synclineConfigLoader, serverlessLoader, cloudFormationLoader, cdkLoader];
