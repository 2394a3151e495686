// The shapes of a table as the engine keeps it in the storage catalog, and as DynamoDB describes it on the wire.
import type { KeyType } from './values/index.js';

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: KeyType;
}

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface Projection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface ProvisionedThroughput {
  ReadCapacityUnits: number;
  WriteCapacityUnits: number;
}

export interface StoredIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: Projection;
  ProvisionedThroughput?: ProvisionedThroughput;
}

export interface StreamSpecification {
  StreamEnabled: boolean;
  StreamViewType?: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';
}

export interface Tag {
  Key: string;
  Value: string;
}

export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';

/** What the catalog stores per table (JSON). Counts and sizes are computed when described. */
export interface StoredTable {
  TableName: string;
  TableId: string;
  TableArn: string;
  /** Epoch seconds, fractional as DynamoDB sends it. */
  CreationDateTime: number;
  AttributeDefinitions: AttributeDefinition[];
  KeySchema: KeySchemaElement[];
  BillingMode: BillingMode;
  ProvisionedThroughput: ProvisionedThroughput;
  LastUpdateToPayPerRequestDateTime?: number;
  GlobalSecondaryIndexes?: StoredIndex[];
  LocalSecondaryIndexes?: StoredIndex[];
  StreamSpecification?: StreamSpecification;
  LatestStreamLabel?: string;
  LatestStreamArn?: string;
  TimeToLive?: { AttributeName: string; Enabled: boolean; UpdatedAt: number };
  Tags: Tag[];
  DeletionProtectionEnabled?: boolean;
  TableClass?: string;
  /** Contributor Insights settings by index name ('' for the table itself); recorded, not computed. */
  /** Point-in-time recovery; `EnabledAt` in epoch ms. While enabled, every write logs how to undo it (pointInTime.ts). */
  PointInTimeRecovery?: { Enabled: boolean; EnabledAt: number; RecoveryPeriodInDays?: number };
  /** Set on a table created by RestoreTableFromBackup or RestoreTableToPointInTime (times in epoch seconds). */
  RestoreSummary?: {
    SourceBackupArn?: string;
    SourceTableArn: string;
    RestoreDateTime: number;
    RestoreInProgress: boolean;
  };
  ContributorInsights?: Record<string, { Enabled: boolean; Mode?: string; UpdatedAt: number }>;
}
