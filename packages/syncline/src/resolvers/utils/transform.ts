// util.transform. The DynamoDB helpers return JSON strings, as in AppSync, which resolvers JSON.parse.
import { filterExpression } from './dynamodbExpressions.js';
import { toElasticsearchQueryDSL } from './openSearchQuery.js';
import { toSubscriptionFilter } from './subscriptionFilters.js';

export const transform = {
  toDynamoDBFilterExpression: (filter: unknown): string =>
    JSON.stringify(filterExpression('util.transform.toDynamoDBFilterExpression', filter)),
  toDynamoDBConditionExpression: (condition: unknown): string =>
    JSON.stringify(filterExpression('util.transform.toDynamoDBConditionExpression', condition)),
  toElasticsearchQueryDSL,
  toSubscriptionFilter,
};
