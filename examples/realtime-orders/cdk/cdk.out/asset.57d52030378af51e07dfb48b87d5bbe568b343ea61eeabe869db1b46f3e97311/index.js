var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// examples/realtime-orders/functions/markStale.ts
var markStale_exports = {};
__export(markStale_exports, {
  handler: () => handler
});
module.exports = __toCommonJS(markStale_exports);
var import_client_dynamodb = require("@aws-sdk/client-dynamodb");
var import_lib_dynamodb = require("@aws-sdk/lib-dynamodb");
var db = import_lib_dynamodb.DynamoDBDocumentClient.from(new import_client_dynamodb.DynamoDBClient({}));
var TABLE = process.env.TABLE;
var STALE_AFTER_SECONDS = Number(process.env.STALE_AFTER_SECONDS ?? 15 * 60);
async function handler() {
  const cutoff = new Date(Date.now() - STALE_AFTER_SECONDS * 1e3).toISOString();
  const { Items = [] } = await db.send(
    new import_lib_dynamodb.QueryCommand({
      TableName: TABLE,
      IndexName: "byStatus",
      KeyConditionExpression: "#s = :pending AND createdAt < :cutoff",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":pending": "PENDING", ":cutoff": cutoff }
    })
  );
  for (const order of Items) {
    await db.send(
      new import_lib_dynamodb.UpdateCommand({
        TableName: TABLE,
        Key: { id: order.id },
        UpdateExpression: "SET #s = :stale",
        ConditionExpression: "#s = :pending",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":stale": "STALE", ":pending": "PENDING" }
      })
    ).catch((error) => {
      if (error.name !== "ConditionalCheckFailedException") throw error;
    });
  }
  return { markedStale: Items.length };
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handler
});
