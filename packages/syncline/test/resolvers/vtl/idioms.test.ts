// Idioms of generated and hand-written AppSync templates (Amplify Gen 1's update resolvers build their
// expressions this way), rendered as they are written.
import { describe, expect, it } from 'vitest';
import { request } from './helpers.js';

describe('common template idioms', () => {
  it('builds an UpdateItem expression from the input map with entrySet, "#$entry.key" and $foreach.hasNext()', async () => {
    const template = `#set( $expSet = {} )
#set( $expNames = {} )
#set( $expValues = {} )
#foreach( $entry in $util.map.copyAndRemoveAllKeys($ctx.args.input, ["id"]).entrySet() )
  $util.qr($expSet.put("#$entry.key", ":$entry.key"))
  $util.qr($expNames.put("#$entry.key", "$entry.key"))
  $util.qr($expValues.put(":$entry.key", $util.dynamodb.toDynamoDB($entry.value)))
#end
#set( $expression = "" )
#if( !$expSet.isEmpty() )
  #set( $expression = "SET" )
  #foreach( $entry in $expSet.entrySet() )
    #set( $expression = "$expression $entry.key = $entry.value" )
    #if( $foreach.hasNext() )
      #set( $expression = "$expression," )
    #end
  #end
#end
{
  "version": "2018-05-29",
  "operation": "UpdateItem",
  "key": { "id": $util.dynamodb.toDynamoDBJson($ctx.args.input.id) },
  "update": {
    "expression": "$expression",
    "expressionNames": $util.toJson($expNames),
    "expressionValues": $util.toJson($expValues)
  }
}`;
    const out = await request(template, { input: { id: 'n1', title: 'T', count: 2 } });
    expect(out.error).toBeUndefined();
    expect(out.value).toEqual({
      version: '2018-05-29',
      operation: 'UpdateItem',
      key: { id: { S: 'n1' } },
      update: {
        expression: 'SET #title = :title, #count = :count',
        expressionNames: { '#title': 'title', '#count': 'count' },
        expressionValues: { ':title': { S: 'T' }, ':count': { N: 2 } },
      },
    });
  });

  it('defaults, null checks and a condition map literal', async () => {
    const template = `#set( $args = $util.defaultIfNull($ctx.stash.transformedArgs, $ctx.args) )
#set( $condition = { "expression": "attribute_not_exists(#id)", "expressionNames": { "#id": "id" } } )
#if( $util.isNullOrEmpty($args.owner) )
  $util.qr($args.put("owner", $ctx.identity.username))
#end
{ "owner": "$args.owner", "condition": $util.toJson($condition), "n": $args.keySet().size() }`;
    const out = await request(template, { name: 'x' });
    expect(out.value).toEqual({
      owner: 'alice',
      condition: { expression: 'attribute_not_exists(#id)', expressionNames: { '#id': 'id' } },
      n: 2,
    });
  });
});
