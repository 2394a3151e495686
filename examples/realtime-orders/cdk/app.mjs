// The reference app as an AWS CDK app: the same schema, resolvers and functions as ../syncline.config.ts and
// ../serverless.yml. `npx cdk synth` writes cdk.out/ (committed, so Syncline runs it without aws-cdk-lib
// installed); `syncline dev cdk/cdk.out` runs it locally and `npx cdk deploy` deploys it to AWS unchanged.
import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const app = new App();
const stack = new Stack(app, 'RealtimeOrders');

const orders = new dynamodb.Table(stack, 'Orders', {
  partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  timeToLiveAttribute: 'expiresAt',
  stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
});
orders.addGlobalSecondaryIndex({
  indexName: 'byStatus',
  partitionKey: { name: 'status', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
});

const api = new appsync.GraphqlApi(stack, 'Api', {
  name: 'realtime-orders',
  definition: appsync.Definition.fromFile(here('../schema.graphql')),
  authorizationConfig: {
    defaultAuthorization: { authorizationType: appsync.AuthorizationType.API_KEY },
    // The stream function signs its publish calls with its own credentials.
    additionalAuthorizationModes: [{ authorizationType: appsync.AuthorizationType.IAM }],
  },
});
const ordersSource = api.addDynamoDbDataSource('orders', orders);
const none = api.addNoneDataSource('none');
const resolvers = [
  ['Query', 'getOrder', ordersSource],
  ['Query', 'ordersByStatus', ordersSource],
  ['Mutation', 'createOrder', ordersSource],
  ['Mutation', 'setOrderStatus', ordersSource],
  ['Mutation', 'publishOrder', none],
  ['Mutation', 'publishOrderRemoved', none],
];
for (const [typeName, fieldName, dataSource] of resolvers) {
  dataSource.createResolver(`${typeName}${fieldName}`, {
    typeName,
    fieldName,
    runtime: appsync.FunctionRuntime.JS_1_0_0,
    code: appsync.Code.fromAsset(here(`../resolvers/${fieldName}.js`)),
  });
}

// Functions are bundled with esbuild like any NodejsFunction; @aws-sdk/* stays external (Lambda provides it).
const fn = (name, props) =>
  new nodejs.NodejsFunction(stack, name, {
    entry: here(`../functions/${name}.ts`),
    handler: 'handler',
    runtime: lambda.Runtime.NODEJS_20_X,
    projectRoot: here('../../..'),
    depsLockFilePath: here('../../../package-lock.json'),
    ...props,
  });
const createOrder = fn('createOrder', { timeout: Duration.seconds(6), environment: { TABLE: orders.tableName } });
const publishOrder = fn('publishOrder', {
  timeout: Duration.seconds(10),
  environment: { GRAPHQL_URL: api.graphqlUrl },
});
const markStale = fn('markStale', { environment: { TABLE: orders.tableName, STALE_AFTER_SECONDS: '900' } });
orders.grantReadWriteData(createOrder);
orders.grantReadWriteData(markStale);
api.grantMutation(publishOrder);

const http = new apigw.HttpApi(stack, 'Http');
http.addRoutes({
  path: '/orders',
  methods: [apigw.HttpMethod.POST],
  integration: new HttpLambdaIntegration('CreateOrder', createOrder),
});
publishOrder.addEventSource(
  new DynamoEventSource(orders, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 10,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
  }),
);
new events.Rule(stack, 'MarkStaleEveryMinute', {
  schedule: events.Schedule.rate(Duration.minutes(1)),
  targets: [new targets.LambdaFunction(markStale)],
});
app.synth();
