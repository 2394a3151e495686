// node:http's own parser (llhttp, strict as node:http runs it), driven directly: the reference the fast path's head
// parser is fuzzed against. Reached through the legacy `process.binding`, which is for tests only.

interface ParserBinding {
  HTTPParser: {
    new (): {
      initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
      execute(buffer: Buffer): number | Error;
      finish(): number | Error | undefined;
      [callback: number]: (...args: any[]) => void;
    };
    REQUEST: number;
    kOnMessageBegin: number;
    kOnHeaders: number;
    kOnHeadersComplete: number;
    kOnBody: number;
    kOnMessageComplete: number;
  };
  methods: string[];
}

export interface LlhttpMessage {
  method: string;
  url: string;
  version: string;
  headers: [string, string][];
  body: Buffer;
  keepAlive: boolean;
  upgrade: boolean;
}

const binding = (process as unknown as { binding(name: string): ParserBinding }).binding('http_parser');

/**
 * The messages llhttp reads from `bytes`; its error if it refused them (at the first it refused), or `partial` when
 * they end inside a message.
 */
export function llhttpParse(
  bytes: Buffer,
  maxHeaderSize = 16 * 1024,
): { messages: LlhttpMessage[]; error?: Error; partial: boolean } {
  const { HTTPParser, methods } = binding;
  const parser = new HTTPParser();
  parser.initialize(HTTPParser.REQUEST, {}, maxHeaderSize, 0);
  const messages: LlhttpMessage[] = [];
  let headerParts: string[] = [];
  let url = '';
  let current: LlhttpMessage | undefined;
  // Long heads arrive in pieces before the headers are complete.
  parser[HTTPParser.kOnHeaders] = (headers: string[], partUrl: string) => {
    headerParts = headerParts.concat(headers);
    url += partUrl;
  };
  parser[HTTPParser.kOnHeadersComplete] = (
    major: number,
    minor: number,
    headers: string[] | undefined,
    method: number,
    completeUrl: string | undefined,
    _status: unknown,
    _message: unknown,
    upgrade: boolean,
    keepAlive: boolean,
  ) => {
    const all = headers ? headerParts.concat(headers) : headerParts;
    const pairs: [string, string][] = [];
    for (let i = 0; i < all.length; i += 2) pairs.push([all[i], all[i + 1]]);
    current = {
      method: methods[method],
      url: completeUrl ?? url,
      version: `${major}.${minor}`,
      headers: pairs,
      body: Buffer.alloc(0),
      keepAlive,
      upgrade,
    };
    headerParts = [];
    url = '';
  };
  parser[HTTPParser.kOnBody] = (chunk: Buffer) => {
    if (current) current.body = Buffer.concat([current.body, chunk]);
  };
  parser[HTTPParser.kOnMessageComplete] = () => {
    if (current) messages.push(current);
    current = undefined;
  };
  let started = false;
  parser[HTTPParser.kOnMessageBegin] = () => {
    started = true;
  };
  const complete = parser[HTTPParser.kOnMessageComplete];
  parser[HTTPParser.kOnMessageComplete] = () => {
    complete();
    started = false;
  };
  const result = parser.execute(bytes);
  if (result instanceof Error) return { messages, error: result, partial: false };
  return { messages, partial: started };
}
