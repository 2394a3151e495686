// IAM identity-based policy documents: the scope of an operator credential on the AWS APIs Syncline serves
// (DynamoDB, DynamoDB Streams). Parsing validates the untrusted JSON once and compiles every Action and Resource
// pattern; evaluation then runs on each request's fast path without building anything.
//
// Evaluation follows IAM for one identity-based policy set: an explicit Deny wins, then an Allow, otherwise the
// request is implicitly denied. `Condition` is refused at parse time rather than ignored: a condition Syncline
// cannot evaluate would make an Allow broader or a Deny narrower than its author meant.
import { z } from 'zod';

export type PolicyEffect = 'Allow' | 'Deny';

export interface PolicyStatement {
  Sid?: string;
  Effect: PolicyEffect;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[];
}

export type PolicyDecision = 'allow' | 'explicitDeny' | 'implicitDeny';

// IAM's own bounds: a pattern longer than an ARN can be is a mistake, and the matcher's cost grows with it.
const MAX_PATTERN_LENGTH = 2048;
const MAX_STATEMENTS = 1000;
const MAX_LIST = 1000;

const ACTION_SHAPE = /^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/;
// arn:partition:service:region:account:resource — the service names the AWS product and takes no wildcard.
const RESOURCE_SHAPE = /^(\*|arn:[^:]*:[A-Za-z0-9-]+:[^:]*:[^:]*:.+)$/;

const pattern = (kind: 'Action' | 'Resource') =>
  z
    .string()
    .min(1, `${kind} must not be empty`)
    .max(MAX_PATTERN_LENGTH, `${kind} is longer than ${MAX_PATTERN_LENGTH} characters`)
    .refine((s) => !s.includes('${'), {
      message: `policy variables (\${...}) are not supported in ${kind}: write the value out`,
    })
    .refine((s) => (kind === 'Action' ? ACTION_SHAPE : RESOURCE_SHAPE).test(s), {
      message:
        kind === 'Action'
          ? 'Action must be "*" or "<service>:<action>" (wildcards * and ? only in the action name)'
          : 'Resource must be "*" or an ARN "arn:<partition>:<service>:<region>:<account>:<resource>"',
    });

const oneOrMany = (kind: 'Action' | 'Resource') =>
  z.union([
    pattern(kind),
    z
      .array(pattern(kind))
      .min(1, `${kind} list must not be empty`)
      .max(MAX_LIST, `at most ${MAX_LIST} entries in ${kind}`),
  ]);

const statementSchema = z
  .strictObject({
    Sid: z
      .string()
      .regex(/^[A-Za-z0-9]*$/, 'Sid is letters and digits only')
      .optional(),
    Effect: z.enum(['Allow', 'Deny'], { message: 'Effect must be "Allow" or "Deny"' }),
    Action: oneOrMany('Action').optional(),
    NotAction: oneOrMany('Action').optional(),
    Resource: oneOrMany('Resource').optional(),
    NotResource: oneOrMany('Resource').optional(),
    // Named here so the refusal explains itself instead of reporting an unknown key.
    Condition: z.unknown().optional(),
    Principal: z.unknown().optional(),
    NotPrincipal: z.unknown().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.Condition !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['Condition'],
        message:
          'Condition is not supported: Syncline cannot evaluate condition keys, so it refuses the statement rather than ignore its condition',
      });
    }
    for (const key of ['Principal', 'NotPrincipal'] as const) {
      if (s[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} is not allowed in an identity-based policy` });
      }
    }
    if ((s.Action === undefined) === (s.NotAction === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a statement has exactly one of Action or NotAction' });
    }
    if ((s.Resource === undefined) === (s.NotResource === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a statement has exactly one of Resource or NotResource' });
    }
  });

const documentSchema = z.strictObject({
  Version: z.enum(['2012-10-17', '2008-10-17'], { message: 'Version must be "2012-10-17" or "2008-10-17"' }).optional(),
  Id: z.string().optional(),
  Statement: z.union([
    statementSchema,
    z
      .array(statementSchema)
      .min(1, 'Statement must not be empty')
      .max(MAX_STATEMENTS, `at most ${MAX_STATEMENTS} statements`),
  ]),
});

// ---- Compiled form -------------------------------------------------------------------------------------------

/** A glob compiled to tokens: a char code, or one of the wildcards below. */
const ANY_ONE = -1; // ?
const STAR = -2; // * that may span anything (actions; the last character of an ARN segment)
const STAR_IN_SEGMENT = -3; // * inside an ARN segment: does not cross a colon
const COLON = 58;

type Matcher = (text: string) => boolean;

interface PatternSet {
  all: boolean;
  exact: Set<string>;
  globs: Matcher[];
}

interface CompiledStatement {
  deny: boolean;
  not: boolean;
  actions: PatternSet;
  notResource: boolean;
  resources: PatternSet;
}

const compiled = new WeakMap<PolicyDocument, CompiledStatement[]>();

/**
 * Matches by simulating the pattern as an automaton over its positions, keeping only the live ones: time is bounded
 * by text × pattern length whatever the pattern, unlike a backtracking regular expression (client-controlled ARNs
 * meet operator-written globs here), and is near-linear for real policies, whose patterns keep one or two positions
 * alive. The literal head and tail (`arn:aws:dynamodb:`, `:table/Orders`) are compared as strings first.
 */
function globMatcher(glob: string, segmented: boolean): Matcher {
  const all = tokenize(glob, segmented);
  let head = 0;
  while (head < all.length && all[head] >= 0) head++;
  let tail = all.length;
  while (tail > head && all[tail - 1] >= 0) tail--;
  const prefix = String.fromCharCode(...all.subarray(0, head));
  const suffix = String.fromCharCode(...all.subarray(tail));
  const tokens = all.slice(head, tail);
  const m = tokens.length;
  // Every wildcard read as a free `*` gives a looser pattern: failing it (most requests, for most patterns)
  // settles the question without running the automaton.
  const loose = piecesMatcher(
    prefix,
    tokens.map((t) => (t < 0 ? STAR : t)),
    suffix,
  );
  if (tokens.every((t) => t >= 0 || t === STAR)) return loose;
  // Scratch space owned by this matcher (matching is synchronous, so calls never overlap).
  // `live` holds the pattern positions reached so far; `seen[j] === step` dedupes them within one step.
  let live = new Int32Array(m + 1);
  let nextLive = new Int32Array(m + 1);
  const seen = new Int32Array(m + 1);
  return (text) => {
    if (!loose(text)) return false;
    const end = text.length - suffix.length;
    seen.fill(-1);
    let count = enter(tokens, seen, live, 0, 0, 0);
    for (let i = prefix.length, step = 1; i < end; i++, step++) {
      const c = text.charCodeAt(i);
      let n = 0;
      for (let k = 0; k < count; k++) {
        const j = live[k];
        if (j === m) continue;
        const t = tokens[j];
        if (t === STAR || (t === STAR_IN_SEGMENT && c !== COLON)) n = enter(tokens, seen, nextLive, n, j, step);
        else if (t === ANY_ONE || t === c) n = enter(tokens, seen, nextLive, n, j + 1, step);
      }
      if (n === 0) return false;
      const swap = live;
      live = nextLive;
      nextLive = swap;
      count = n;
    }
    for (let k = 0; k < count; k++) if (live[k] === m) return true;
    return false;
  };
}

/**
 * The common case, every wildcard a `*` free to span anything: the literal pieces between the stars must appear in
 * order, and taking each at its leftmost occurrence never loses a match, so `indexOf` does the work.
 */
function piecesMatcher(prefix: string, tokens: Int32Array, suffix: string): Matcher {
  const pieces: string[] = [];
  let current = '';
  for (const t of tokens) {
    if (t === STAR) {
      if (current) pieces.push(current);
      current = '';
    } else current += String.fromCharCode(t);
  }
  if (current) pieces.push(current);
  return (text) => {
    if (text.length < prefix.length + suffix.length || !text.startsWith(prefix) || !text.endsWith(suffix)) {
      return false;
    }
    const end = text.length - suffix.length;
    let at = prefix.length;
    for (const piece of pieces) {
      const found = text.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/**
 * Adds position j to `into` (at n) for this step, with every position after a run of stars from it: a star also
 * matches the empty string. Returns the new length.
 */
function enter(tokens: Int32Array, seen: Int32Array, into: Int32Array, n: number, j: number, step: number): number {
  const m = tokens.length;
  while (j <= m && seen[j] !== step) {
    seen[j] = step;
    into[n++] = j;
    if (j < m && tokens[j] <= STAR) j++;
    else break;
  }
  return n;
}

function tokenize(glob: string, segmented: boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charCodeAt(i);
    if (glob[i] === '*') {
      // IAM: a * that ends an ARN segment may expand beyond the colon; one inside a segment stays within it.
      const endsSegment = i + 1 === glob.length || glob.charCodeAt(i + 1) === COLON;
      const token = !segmented || endsSegment ? STAR : STAR_IN_SEGMENT;
      if (out.length > 0 && out[out.length - 1] === token) continue;
      out.push(token);
    } else if (glob[i] === '?') out.push(ANY_ONE);
    else out.push(c);
  }
  return Int32Array.from(out);
}

function compilePatterns(patterns: string | string[], caseInsensitive: boolean, segmented: boolean): PatternSet {
  const set: PatternSet = { all: false, exact: new Set(), globs: [] };
  for (const raw of typeof patterns === 'string' ? [patterns] : patterns) {
    const p = caseInsensitive ? raw.toLowerCase() : raw;
    if (p === '*') set.all = true;
    else if (!/[*?]/.test(p)) set.exact.add(p);
    else if (/^[^*?]*\*$/.test(p)) {
      // `dynamodb:*`, `dynamodb:Get*`, `arn:aws:dynamodb:us-east-1:123456789012:table/*`: a prefix test.
      const prefix = p.slice(0, -1);
      set.globs.push((text) => text.startsWith(prefix));
    } else set.globs.push(globMatcher(p, segmented));
  }
  return set;
}

function matches(set: PatternSet, text: string): boolean {
  if (set.all || set.exact.has(text)) return true;
  for (const glob of set.globs) if (glob(text)) return true;
  return false;
}

function compileStatement(s: PolicyStatement): CompiledStatement {
  return {
    deny: s.Effect === 'Deny',
    not: s.Action === undefined,
    actions: compilePatterns((s.Action ?? s.NotAction)!, true, false),
    notResource: s.Resource === undefined,
    resources: compilePatterns((s.Resource ?? s.NotResource)!, false, true),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

interface Explained {
  path: PropertyKey[];
  message: string;
  typeOnly: boolean;
}

/**
 * The most telling problem in a zod issue: inside a union (a string or a list, a statement or a list of them),
 * the branch that got furthest into the input, rather than zod's bare "Invalid input".
 */
function explain(issue: z.core.$ZodIssue): Explained {
  const here = { path: [...issue.path], message: issue.message, typeOnly: issue.code === 'invalid_type' };
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return here;
  let best: Explained | undefined;
  for (const branch of issue.errors) {
    if (branch.length === 0) continue;
    const e = explain(branch[0]);
    const candidate = { ...e, path: [...issue.path, ...e.path] };
    if (
      !best ||
      candidate.path.length > best.path.length ||
      (candidate.path.length === best.path.length && best.typeOnly && !candidate.typeOnly)
    ) {
      best = candidate;
    }
  }
  return best ?? here;
}

/** `<path>: <message>` for the first issue of a failed parse, paths written as `Statement[0].Action`. */
export function describeIssue(error: z.ZodError): string {
  const { path, message } = explain(error.issues[0]);
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out ? `${out}: ${message}` : message;
}

/**
 * Validates an IAM policy document (untrusted JSON) and compiles its patterns. A single statement object becomes a
 * one-element array. The result is frozen: its compiled form is cached against it. Throws an Error naming `where`
 * and the offending key.
 */
export function parsePolicyDocument(json: unknown, where: string): PolicyDocument {
  const result = documentSchema.safeParse(json);
  if (!result.success) throw new Error(`${where}: ${describeIssue(result.error)}`);
  const { Version, Statement } = result.data;
  const statements = (Array.isArray(Statement) ? Statement : [Statement]).map((s) => {
    const out: PolicyStatement = { Effect: s.Effect };
    if (s.Sid !== undefined) out.Sid = s.Sid;
    for (const key of ['Action', 'NotAction', 'Resource', 'NotResource'] as const) {
      const v = s[key];
      if (v !== undefined) out[key] = typeof v === 'string' ? v : [...v];
    }
    return out;
  });
  const document: PolicyDocument =
    Version === undefined ? { Statement: statements } : { Version, Statement: statements };
  compiled.set(document, statements.map(compileStatement));
  return deepFreeze(document);
}

function compiledOf(document: PolicyDocument): CompiledStatement[] {
  let statements = compiled.get(document);
  if (!statements) {
    // A document built in code rather than parsed: hold it to the same rules before trusting it.
    statements = compiled.get(parsePolicyDocument(structuredClone(document), 'policy document'))!;
    compiled.set(document, statements);
  }
  return statements;
}

/**
 * IAM's decision for one action on one resource under a set of identity-based policies: any matching Deny gives
 * `explicitDeny`, else any matching Allow gives `allow`, else `implicitDeny`. Actions match case-insensitively,
 * resources case-sensitively; both take `*` and `?`.
 */
export function evaluatePolicies(
  policies: readonly PolicyDocument[],
  action: string,
  resource: string,
): PolicyDecision {
  const lowerAction = action.toLowerCase();
  let allowed = false;
  for (const policy of policies) {
    for (const s of compiledOf(policy)) {
      if (!s.deny && allowed) continue;
      if (matches(s.actions, lowerAction) === s.not) continue;
      if (matches(s.resources, resource) === s.notResource) continue;
      if (s.deny) return 'explicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicitDeny';
}

export interface ScopeDenial {
  action: string;
  resource: string;
  explicit: boolean;
}

/**
 * The first (action, resource) pair of a request the policies do not allow, an explicit deny reported before an
 * implicit one; undefined when every pair is allowed. A request with no scopes at all is refused on `*`.
 */
export function deniedScope(
  policies: readonly PolicyDocument[],
  scopes: readonly { action: string; resources: readonly string[] }[],
): ScopeDenial | undefined {
  let implicit: ScopeDenial | undefined;
  for (const { action, resources } of scopes) {
    for (const resource of resources.length > 0 ? resources : ['*']) {
      const decision = evaluatePolicies(policies, action, resource);
      if (decision === 'explicitDeny') return { action, resource, explicit: true };
      if (decision === 'implicitDeny') implicit ??= { action, resource, explicit: false };
    }
  }
  if (scopes.length === 0) return { action: '*', resource: '*', explicit: false };
  return implicit;
}
