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

// examples/realtime-orders/functions/createOrder.ts
var createOrder_exports = {};
__export(createOrder_exports, {
  handler: () => handler
});
module.exports = __toCommonJS(createOrder_exports);
var import_node_crypto = require("node:crypto");
var import_client_dynamodb = require("@aws-sdk/client-dynamodb");
var import_lib_dynamodb = require("@aws-sdk/lib-dynamodb");
var db = import_lib_dynamodb.DynamoDBDocumentClient.from(new import_client_dynamodb.DynamoDBClient({}));
var TABLE = process.env.TABLE;
var TTL_SECONDS = Number(process.env.ORDER_TTL_SECONDS ?? 24 * 60 * 60);
function validate(input) {
  const errors = {};
  if (typeof input.item !== "string" || !input.item.trim()) errors.item = "Enter an item.";
  else if (input.item.length > 60) errors.item = "At most 60 characters.";
  if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > 99) {
    errors.quantity = "A whole number from 1 to 99.";
  }
  if (typeof input.customer !== "string" || !input.customer.trim()) errors.customer = "Enter a name.";
  else if (input.customer.length > 60) errors.customer = "At most 60 characters.";
  if (input.ttlSeconds !== void 0 && (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1)) {
    errors.ttlSeconds = "A whole number of seconds.";
  }
  return errors;
}
var json = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body)
});
async function handler(event) {
  let input;
  try {
    const text = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString() : event.body ?? "";
    input = JSON.parse(text);
  } catch {
    return json(400, { message: "The body must be JSON.", errors: {} });
  }
  const errors = validate(input ?? {});
  if (Object.keys(errors).length) return json(400, { message: "Please fix the highlighted fields.", errors });
  const now = /* @__PURE__ */ new Date();
  const order = {
    id: (0, import_node_crypto.randomUUID)(),
    item: input.item.trim(),
    quantity: input.quantity,
    customer: input.customer.trim(),
    status: "PENDING",
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1e3) + (input.ttlSeconds ?? TTL_SECONDS)
  };
  await db.send(new import_lib_dynamodb.PutCommand({ TableName: TABLE, Item: order, ConditionExpression: "attribute_not_exists(id)" }));
  return json(201, order);
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  handler
});
