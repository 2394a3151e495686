// AWS_IAM on the HTTP endpoint and the realtime channel, with requests signed by @smithy/signature-v4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SynclineServer } from '../../src/index.js';
import { startFixture } from '../helpers/server.js';
import { ALICE, body, connectWith, iamHeaderObject, post, SESSION, sign, startWith } from './helpers.js';

const API_KEY = 'da2-authiamfixturekey000000';
const WHOAMI = '{ whoami { mode identity } }';

let server: SynclineServer;
beforeAll(async () => {
  server = await startFixture('auth-iam');
});
afterAll(() => server.close());

async function signedQuery(query: string, credentials = ALICE, options: Parameters<typeof sign>[3] = {}) {
  const text = body(query);
  return post(server, text, await sign(server, text, credentials, options));
}

const errorType = (r: { body: any }) => r.body.errors?.[0]?.errorType;

describe('AWS_IAM over HTTP', () => {
  it('accepts a request signed by a configured credential and reports the IAM identity', async () => {
    const r = await signedQuery(WHOAMI);
    expect(r.status).toBe(200);
    expect(r.body.data.whoami.mode).toBe('IAM Authorization');
    const identity = JSON.parse(r.body.data.whoami.identity);
    expect(identity).toEqual({
      accountId: '111122223333',
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: ['127.0.0.1'],
      username: ALICE.accessKeyId,
      userArn: 'arn:aws:iam::111122223333:user/alice',
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    });
  });

  it('accepts temporary credentials only with their x-amz-security-token', async () => {
    const ok = await signedQuery(WHOAMI, SESSION);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.data.whoami.identity).accountId).toBe('000000000000');

    const withoutToken = await signedQuery(WHOAMI, { ...SESSION, sessionToken: undefined });
    expect(withoutToken.status).toBe(403);
    expect(errorType(withoutToken)).toBe('UnrecognizedClientException');
    const wrongToken = await signedQuery(WHOAMI, { ...SESSION, sessionToken: 'another' });
    expect(errorType(wrongToken)).toBe('UnrecognizedClientException');
  });

  it('refuses an unknown access key with UnrecognizedClientException', async () => {
    const r = await signedQuery(WHOAMI, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    expect(r.status).toBe(403);
    expect(r.body.errors).toEqual([
      { errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
    ]);
  });

  it('refuses a signature made with the wrong secret or altered in transit', async () => {
    const wrongSecret = await signedQuery(WHOAMI, { ...ALICE, secretAccessKey: 'not-the-secret' });
    expect(wrongSecret.status).toBe(403);
    expect(errorType(wrongSecret)).toBe('InvalidSignatureException');
    expect(wrongSecret.body.errors[0].message).toMatch(/^The request signature we calculated does not match/);

    const text = body(WHOAMI);
    const headers = await sign(server, text, ALICE);
    const last = headers.authorization.slice(-1);
    headers.authorization = headers.authorization.slice(0, -1) + (last === '0' ? '1' : '0');
    const tampered = await post(server, text, headers);
    expect(tampered.status).toBe(403);
    expect(errorType(tampered)).toBe('InvalidSignatureException');
  });

  it('refuses a body other than the one signed, with or without x-amz-content-sha256', async () => {
    const signedText = body('{ whoami { mode } }');
    const headers = await sign(server, signedText, ALICE);
    expect(headers['x-amz-content-sha256']).toBeDefined();
    const swapped = await post(server, body('mutation { post(text: "forged") { id } }'), headers);
    expect(swapped.status).toBe(403);
    expect(errorType(swapped)).toBe('InvalidSignatureException');

    const { 'x-amz-content-sha256': _hash, ...noHash } = headers;
    const swappedNoHash = await post(server, body('mutation { post(text: "forged") { id } }'), noHash);
    expect(swappedNoHash.status).toBe(403);
    expect(errorType(swappedNoHash)).toBe('InvalidSignatureException');
  });

  it('refuses an x-amz-date more than 5 minutes off, either way', async () => {
    const stale = await signedQuery(WHOAMI, ALICE, { signingDate: new Date(Date.now() - 6 * 60_000) });
    expect(stale.status).toBe(403);
    expect(stale.body.errors[0]).toMatchObject({ errorType: 'InvalidSignatureException' });
    expect(stale.body.errors[0].message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);
    const future = await signedQuery(WHOAMI, ALICE, { signingDate: new Date(Date.now() + 6 * 60_000) });
    expect(future.body.errors[0].message).toMatch(/^Signature not yet current/);
    const withinSkew = await signedQuery(WHOAMI, ALICE, { signingDate: new Date(Date.now() - 4 * 60_000) });
    expect(withinSkew.status).toBe(200);
  });

  it('refuses a signature scoped to another region or service', async () => {
    const region = await signedQuery(WHOAMI, ALICE, { region: 'us-east-1' });
    expect(region.status).toBe(403);
    expect(errorType(region)).toBe('InvalidSignatureException');
    const service = await signedQuery(WHOAMI, ALICE, { service: 'dynamodb' });
    expect(errorType(service)).toBe('InvalidSignatureException');
  });

  it('applies the directives: fields of other modes are null with an Unauthorized error', async () => {
    const r = await signedQuery('{ iamOnly keyOnly open }');
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ iamOnly: 'iamOnly', keyOnly: null, open: 'open' });
    expect(r.body.errors).toEqual([
      expect.objectContaining({
        path: ['keyOnly'],
        errorType: 'Unauthorized',
        message: 'Not Authorized to access keyOnly on type Query',
      }),
    ]);
    // With an API key, the default mode's fields (`open`, no directive) are closed too.
    const res = await fetch(server.endpoints.graphql, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
      body: body('{ iamOnly keyOnly open }'),
    });
    const keyed = (await res.json()) as any;
    expect(keyed.data).toEqual({ iamOnly: null, keyOnly: 'keyOnly', open: null });
    expect(keyed.errors.map((e: any) => e.errorType)).toEqual(['Unauthorized', 'Unauthorized']);
  });

  it('answers 401 UnauthorizedException without any credential', async () => {
    const r = await post(server, body(WHOAMI), { 'content-type': 'application/json' });
    expect(r.status).toBe(401);
    expect(errorType(r)).toBe('UnauthorizedException');
  });
});

describe('AWS_IAM on the realtime channel', () => {
  const subscription = JSON.stringify({ query: 'subscription { onPost { id text } }', variables: {} });

  it('connects with a signed handshake, starts with a signed start and receives events', async () => {
    const { socket, first } = await connectWith(server, await iamHeaderObject(server, ALICE, '{}', '/graphql/connect'));
    expect(first.type).toBe('connection_ack');
    socket.send(startWith('1', subscription, await iamHeaderObject(server, SESSION, subscription, '/graphql')));
    expect(await socket.next()).toEqual({ type: 'start_ack', id: '1' });
    await signedQuery('mutation { post(text: "hi") { id text } }');
    const data = await socket.next();
    expect(data).toMatchObject({ type: 'data', id: '1', payload: { data: { onPost: { text: 'hi' } } } });
    socket.close();
  });

  it('refuses a handshake with a tampered, stale or wrongly scoped signature', async () => {
    const tampered = await iamHeaderObject(server, ALICE, '{}', '/graphql/connect');
    tampered.authorization = tampered.authorization.replace(
      /Signature=(.)/,
      (_m, c) => `Signature=${c === 'a' ? 'b' : 'a'}`,
    );
    const stale = await iamHeaderObject(server, ALICE, '{}', '/graphql/connect', {
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    const wrongPath = await iamHeaderObject(server, ALICE, '{}', '/graphql');
    const wrongBody = await iamHeaderObject(server, ALICE, '{"x":1}', '/graphql/connect');
    for (const header of [tampered, stale, wrongPath, wrongBody]) {
      const { socket, first } = await connectWith(server, header);
      expect(first).toMatchObject({
        type: 'connection_error',
        payload: { errors: [{ errorType: 'UnauthorizedException' }] },
      });
      await socket.closed;
    }
  });

  it('refuses a start whose data is not what was signed, and an IAM-only field to an API key', async () => {
    const { socket } = await connectWith(server, await iamHeaderObject(server, ALICE, '{}', '/graphql/connect'));
    const other = JSON.stringify({ query: 'subscription { onPostIamOnly { id } }', variables: {} });
    socket.send(startWith('forged', other, await iamHeaderObject(server, ALICE, subscription, '/graphql')));
    const forged = await socket.next();
    expect(forged).toMatchObject({ type: 'error', id: 'forged' });
    expect(forged.payload.errors[0].errorType).toBe('InvalidSignatureException');

    const keyHeader = { host: new URL(server.endpoints.graphql).host, 'x-api-key': API_KEY };
    socket.send(startWith('keyed', other, keyHeader));
    const keyed = await socket.next();
    expect(keyed).toMatchObject({ type: 'error', id: 'keyed' });
    expect(keyed.payload.errors[0]).toMatchObject({ errorType: 'Unauthorized' });

    socket.send(startWith('signed', other, await iamHeaderObject(server, ALICE, other, '/graphql')));
    expect(await socket.next()).toEqual({ type: 'start_ack', id: 'signed' });
    socket.close();
  });
});
