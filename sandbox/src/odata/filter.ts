// OData v4 $filter: the subset F&O and Dataverse accept (eq ne gt ge lt le, and or not, parentheses,
// contains/startswith/endswith/tolower/toupper/trim). No `in`, no `has`, no arithmetic: the real F&O
// rejects them too, so a client that relies on them must fail here as it would in production.

export class ODataSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ODataSyntaxError';
  }
}

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'guid' | 'datetime' | 'enum';

export interface LiteralNode {
  kind: 'literal';
  type: LiteralType;
  value: string | number | boolean | null;
  /** For enum literals: the qualified type, e.g. Microsoft.Dynamics.DataEntities.NoYes. */
  enumType?: string;
}
export interface PropertyNode { kind: 'property'; path: string }
export interface CallNode { kind: 'call'; name: FunctionName; args: FilterExpr[] }
export interface CompareNode { kind: 'compare'; op: CompareOp; left: FilterExpr; right: FilterExpr }
export interface LogicalNode { kind: 'logical'; op: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
export interface NotNode { kind: 'not'; expr: FilterExpr }

export type FilterExpr = LiteralNode | PropertyNode | CallNode | CompareNode | LogicalNode | NotNode;
export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FunctionName = 'contains' | 'startswith' | 'endswith' | 'tolower' | 'toupper' | 'trim';

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS: Record<FunctionName, number> = {
  contains: 2, startswith: 2, endswith: 2, tolower: 1, toupper: 1, trim: 1,
};
const UNSUPPORTED = new Set(['in', 'has', 'add', 'sub', 'mul', 'div', 'mod', 'any', 'all']);

type Token =
  | { t: 'lparen' | 'rparen' | 'comma' | 'eof'; pos: number }
  | { t: 'word'; v: string; pos: number }
  | { t: 'lit'; lit: LiteralNode; pos: number };

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![\w-])/;
const DATETIME_RE =
  /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?(?![\w:.-])/;
const NUMBER_RE = /^-?\d+(\.\d+)?([eE][+-]?\d+)?[mMdDfFlL]?(?![\w.])/;
const WORD_RE = /^[A-Za-z_][\w.]*(\/[A-Za-z_][\w.]*)*/;

/** Reads one quoted string starting at text[start] === "'"; returns value and the index after it. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      throw new ODataSyntaxError(`Unterminated string literal starting at position ${start}: add the closing quote (write a quote inside a string as '').`);
    }
    const c = text[i];
    if (c === "'") {
      if (text[i + 1] === "'") { value += "'"; i += 2; continue; }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    if (c === '(') { tokens.push({ t: 'lparen', pos: i }); i++; continue; }
    if (c === ')') { tokens.push({ t: 'rparen', pos: i }); i++; continue; }
    if (c === ',') { tokens.push({ t: 'comma', pos: i }); i++; continue; }
    if (c === "'") {
      const q = readQuoted(text, i);
      tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'string', value: q.value }, pos: i });
      i = q.end;
      continue;
    }
    const rest = text.slice(i);
    let m = GUID_RE.exec(rest);
    if (m) {
      tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'guid', value: m[0].toLowerCase() }, pos: i });
      i += m[0].length;
      continue;
    }
    m = DATETIME_RE.exec(rest);
    if (m) {
      const ms = Date.parse(m[0]);
      if (Number.isNaN(ms)) throw new ODataSyntaxError(`Invalid date/time literal '${m[0]}' at position ${i}.`);
      tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'datetime', value: m[0] }, pos: i });
      i += m[0].length;
      continue;
    }
    m = NUMBER_RE.exec(rest);
    if (m) {
      const num = Number(m[0].replace(/[mMdDfFlL]$/, ''));
      tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'number', value: num }, pos: i });
      i += m[0].length;
      continue;
    }
    m = WORD_RE.exec(rest);
    if (m) {
      const word = m[0];
      const after = i + word.length;
      if (text[after] === "'" && word.includes('.')) {
        // Enum literal: Namespace.Type'Member'
        const q = readQuoted(text, after);
        tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'enum', value: q.value, enumType: word }, pos: i });
        i = q.end;
        continue;
      }
      if (word === 'true' || word === 'false') {
        tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'boolean', value: word === 'true' }, pos: i });
      } else if (word === 'null') {
        tokens.push({ t: 'lit', lit: { kind: 'literal', type: 'null', value: null }, pos: i });
      } else {
        tokens.push({ t: 'word', v: word, pos: i });
      }
      i = after;
      continue;
    }
    throw new ODataSyntaxError(`Unexpected character '${c}' at position ${i} in $filter.`);
  }
  tokens.push({ t: 'eof', pos: text.length });
  return tokens;
}

const MAX_DEPTH = 64;

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token { return this.tokens[this.i]; }
  private next(): Token { return this.tokens[this.i++]; }
  private isWord(v: string): boolean {
    const tok = this.peek();
    return tok.t === 'word' && tok.v === v;
  }

  parse(): FilterExpr {
    const expr = this.parseOr();
    const tok = this.peek();
    if (tok.t !== 'eof') throw new ODataSyntaxError(`Unexpected ${describe(tok)} at position ${tok.pos} in $filter: expected 'and', 'or' or the end.`);
    return expr;
  }

  private parseOr(): FilterExpr {
    // Hostile input such as 5,000 nested parentheses must fail with a 400, not overflow the stack.
    if (++this.depth > MAX_DEPTH) throw new ODataSyntaxError(`$filter nests deeper than ${MAX_DEPTH} levels: simplify the expression.`);
    try { return this.parseOrInner(); } finally { this.depth--; }
  }

  private parseOrInner(): FilterExpr {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'logical', op: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseNot();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'logical', op: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): FilterExpr {
    if (this.isWord('not')) {
      this.next();
      if (++this.depth > MAX_DEPTH) throw new ODataSyntaxError(`$filter nests 'not' deeper than ${MAX_DEPTH} levels.`);
      try { return { kind: 'not', expr: this.parseNot() }; } finally { this.depth--; }
    }
    return this.parseCompare();
  }

  private parseCompare(): FilterExpr {
    const left = this.parsePrimary();
    const tok = this.peek();
    if (tok.t === 'word' && COMPARE_OPS.has(tok.v)) {
      this.next();
      const right = this.parsePrimary();
      return { kind: 'compare', op: tok.v as CompareOp, left, right };
    }
    if (tok.t === 'word' && UNSUPPORTED.has(tok.v)) {
      throw new ODataSyntaxError(`The operator '${tok.v}' at position ${tok.pos} is not supported by this service: use eq/ne/gt/ge/lt/le combined with and/or.`);
    }
    return left;
  }

  private parsePrimary(): FilterExpr {
    const tok = this.next();
    if (tok.t === 'lparen') {
      const inner = this.parseOr();
      const close = this.next();
      if (close.t !== 'rparen') throw new ODataSyntaxError(`Missing ')' for the '(' at position ${tok.pos} in $filter.`);
      return inner;
    }
    if (tok.t === 'lit') return tok.lit;
    if (tok.t === 'word') {
      if (this.peek().t === 'lparen') return this.parseCall(tok.v, tok.pos);
      if (COMPARE_OPS.has(tok.v) || tok.v === 'and' || tok.v === 'or' || tok.v === 'not') {
        throw new ODataSyntaxError(`Expected a property or value at position ${tok.pos} but found the operator '${tok.v}'.`);
      }
      return { kind: 'property', path: tok.v };
    }
    throw new ODataSyntaxError(`Expected a property or value at position ${tok.pos} but found ${describe(tok)}.`);
  }

  private parseCall(name: string, pos: number): FilterExpr {
    if (!(name in FUNCTIONS)) {
      throw new ODataSyntaxError(`Unknown or unsupported function '${name}' at position ${pos}: supported are ${Object.keys(FUNCTIONS).join(', ')}.`);
    }
    this.next(); // (
    const args: FilterExpr[] = [];
    if (this.peek().t !== 'rparen') {
      for (;;) {
        args.push(this.parseOr());
        if (this.peek().t === 'comma') { this.next(); continue; }
        break;
      }
    }
    const close = this.next();
    if (close.t !== 'rparen') throw new ODataSyntaxError(`Missing ')' to close ${name}( at position ${pos}.`);
    const fn = name as FunctionName;
    if (args.length !== FUNCTIONS[fn]) {
      throw new ODataSyntaxError(`${name} at position ${pos} takes ${FUNCTIONS[fn]} argument(s), got ${args.length}.`);
    }
    return { kind: 'call', name: fn, args };
  }
}

function describe(tok: Token): string {
  switch (tok.t) {
    case 'eof': return 'the end of the expression';
    case 'word': return `'${tok.v}'`;
    case 'lit': return `the literal ${JSON.stringify(tok.lit.value)}`;
    case 'lparen': return "'('";
    case 'rparen': return "')'";
    case 'comma': return "','";
  }
}

export function parseFilter(text: string): FilterExpr {
  if (text.trim() === '') throw new ODataSyntaxError('$filter is empty: give an expression such as Name eq \'x\' or leave the option out.');
  if (text.length > 8000) throw new ODataSyntaxError('$filter is longer than 8000 characters: split the query.');
  return new Parser(tokenize(text)).parse();
}

/** Maps an enum member name to its numeric value, for rows that store enums as numbers. */
export type EnumResolver = (enumType: string, member: string) => number | undefined;
export interface EvaluateOptions { enumResolver?: EnumResolver }

type Value = string | number | boolean | null | undefined;

function valueOf(expr: FilterExpr, row: Record<string, unknown>, opts: EvaluateOptions): Value {
  switch (expr.kind) {
    case 'literal': return expr.value;
    case 'property': return readPath(row, expr.path);
    case 'call': {
      const a = valueOf(expr.args[0], row, opts);
      if (expr.name === 'tolower') return typeof a === 'string' ? a.toLowerCase() : null;
      if (expr.name === 'toupper') return typeof a === 'string' ? a.toUpperCase() : null;
      if (expr.name === 'trim') return typeof a === 'string' ? a.trim() : null;
      const b = valueOf(expr.args[1], row, opts);
      if (typeof a !== 'string' || typeof b !== 'string') return false;
      const [x, y] = [fold(a), fold(b)];
      if (expr.name === 'contains') return x.includes(y);
      if (expr.name === 'startswith') return x.startsWith(y);
      return x.endsWith(y);
    }
    default: return evaluateFilter(expr, row, opts);
  }
}

function readPath(row: Record<string, unknown>, path: string): Value {
  let cur: unknown = row;
  for (const part of path.split('/')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur instanceof Date) return cur.toISOString();
  if (cur === null || cur === undefined || typeof cur === 'string' || typeof cur === 'number' || typeof cur === 'boolean') return cur;
  return undefined;
}

function literalOf(expr: FilterExpr): LiteralNode | undefined {
  return expr.kind === 'literal' ? expr : undefined;
}

/** Brings both sides to comparable primitives, using the literal's type to interpret the other side. */
function normalise(a: Value, b: Value, hint: LiteralNode | undefined, opts: EvaluateOptions): [Value, Value] {
  if (!hint) return [a, b];
  if (hint.type === 'datetime') {
    const toMs = (v: Value): Value => (typeof v === 'string' ? Date.parse(v) : v);
    return [toMs(a), toMs(b)];
  }
  if (hint.type === 'guid') {
    const low = (v: Value): Value => (typeof v === 'string' ? v.toLowerCase() : v);
    return [low(a), low(b)];
  }
  if (hint.type === 'enum' && opts.enumResolver && hint.enumType) {
    const toNum = (v: Value): Value => (typeof v === 'string' ? opts.enumResolver!(hint.enumType!, v) ?? v : v);
    if (typeof a === 'number' || typeof b === 'number') return [toNum(a), toNum(b)];
  }
  return [a, b];
}

/**
 * Both services compare strings case-insensitively (Dataverse's and F&O's database collations are
 * case-insensitive): 'us-001' finds 'US-001'. Accents still count (not modelled: see the services' notes).
 */
export const foldCase = (v: string): string => v.toLocaleLowerCase('en-US');
const fold = foldCase;

function compare(op: CompareOp, rawA: Value, rawB: Value): boolean {
  const [a, b] = typeof rawA === 'string' && typeof rawB === 'string' ? [fold(rawA), fold(rawB)] : [rawA, rawB];
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (op === 'eq') return aNull || bNull ? aNull && bNull : a === b;
  if (op === 'ne') return aNull || bNull ? !(aNull && bNull) : a !== b;
  if (aNull || bNull || typeof a !== typeof b) return false;
  const x = a;
  const y = b;
  switch (op) {
    case 'gt': return x > y;
    case 'ge': return x >= y;
    case 'lt': return x < y;
    case 'le': return x <= y;
  }
}

export function evaluateFilter(expr: FilterExpr, row: Record<string, unknown>, opts: EvaluateOptions = {}): boolean {
  switch (expr.kind) {
    case 'logical':
      return expr.op === 'and'
        ? evaluateFilter(expr.left, row, opts) && evaluateFilter(expr.right, row, opts)
        : evaluateFilter(expr.left, row, opts) || evaluateFilter(expr.right, row, opts);
    case 'not': return !evaluateFilter(expr.expr, row, opts);
    case 'compare': {
      const hint = literalOf(expr.right) ?? literalOf(expr.left);
      const [a, b] = normalise(valueOf(expr.left, row, opts), valueOf(expr.right, row, opts), hint, opts);
      return compare(expr.op, a, b);
    }
    default: return valueOf(expr, row, opts) === true;
  }
}

/** Property paths the expression reads: lets a server reject unknown properties with a clear 400. */
export function referencedProperties(expr: FilterExpr, out: Set<string> = new Set()): Set<string> {
  switch (expr.kind) {
    case 'property': out.add(expr.path); break;
    case 'call': expr.args.forEach((a) => referencedProperties(a, out)); break;
    case 'compare': case 'logical': referencedProperties(expr.left, out); referencedProperties(expr.right, out); break;
    case 'not': referencedProperties(expr.expr, out); break;
    default: break;
  }
  return out;
}
