// System query options shared by the F&O and Dataverse stand-ins: parse once, apply to in-memory rows.
import { evaluateFilter, foldCase, ODataSyntaxError, parseFilter, type EvaluateOptions, type FilterExpr } from './filter';

export interface ExpandOption { property: string; select?: string[] }
export interface OrderBy { field: string; desc: boolean }

export interface ODataQuery {
  filter?: FilterExpr;
  select?: string[];
  orderby?: OrderBy[];
  top?: number;
  skip?: number;
  count: boolean;
  expand?: ExpandOption[];
  /** $skiptoken as sent back by a nextLink (opaque to the caller). */
  skiptoken?: string;
}

const KNOWN = new Set(['$filter', '$select', '$orderby', '$top', '$skip', '$count', '$expand', '$skiptoken', '$format']);
const IDENT_RE = /^[A-Za-z_][\w]*(\/[A-Za-z_][\w]*)*$/;

function nonNegativeInt(name: string, raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new ODataSyntaxError(`${name} must be a non-negative integer, got '${raw}'.`);
  return Number(raw.trim());
}

function identList(name: string, raw: string): string[] {
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) {
    if (item !== '*' && !IDENT_RE.test(item)) throw new ODataSyntaxError(`${name} holds an invalid property name '${item}'.`);
  }
  return items;
}

function parseOrderBy(raw: string): OrderBy[] {
  return raw.split(',').map((part) => {
    const words = part.trim().split(/\s+/);
    const [field, dir] = words;
    if (!field || !IDENT_RE.test(field) || words.length > 2 || (dir !== undefined && dir !== 'asc' && dir !== 'desc')) {
      throw new ODataSyntaxError(`$orderby item '${part.trim()}' is invalid: write 'Property' or 'Property asc|desc'.`);
    }
    return { field, desc: dir === 'desc' };
  });
}

function parseExpand(raw: string): ExpandOption[] {
  const out: ExpandOption[] = [];
  // Split on commas outside parentheses: Nav($select=a,b),Other
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '(') depth++;
    else if (raw[i] === ')') depth--;
    else if (raw[i] === ',' && depth === 0) { parts.push(raw.slice(start, i)); start = i + 1; }
    if (depth < 0) throw new ODataSyntaxError(`$expand has an unbalanced ')' at position ${i}.`);
  }
  if (depth !== 0) throw new ODataSyntaxError("$expand has an unbalanced '('.");
  parts.push(raw.slice(start));
  for (const p of parts) {
    const m = /^\s*([A-Za-z_]\w*)\s*(?:\((.*)\))?\s*$/.exec(p);
    if (!m) throw new ODataSyntaxError(`$expand item '${p.trim()}' is invalid.`);
    const opt: ExpandOption = { property: m[1] };
    if (m[2] !== undefined) {
      const sel = /^\$select=(.+)$/.exec(m[2].trim());
      if (!sel) throw new ODataSyntaxError(`$expand on '${m[1]}' supports only a nested $select (one level of expansion).`);
      opt.select = identList('$select', sel[1]);
    }
    out.push(opt);
  }
  return out;
}

export function parseQueryOptions(search: URLSearchParams): ODataQuery {
  const q: ODataQuery = { count: false };
  for (const key of new Set(search.keys())) {
    if (key.startsWith('$') && !KNOWN.has(key)) {
      throw new ODataSyntaxError(`The query option '${key}' is not supported: use $filter, $select, $orderby, $top, $skip, $count or $expand.`);
    }
    if (KNOWN.has(key) && search.getAll(key).length > 1) {
      throw new ODataSyntaxError(`The query option '${key}' is given more than once.`);
    }
  }
  const filter = search.get('$filter');
  if (filter !== null) q.filter = parseFilter(filter);
  const select = search.get('$select');
  if (select !== null) q.select = identList('$select', select);
  const orderby = search.get('$orderby');
  if (orderby !== null) q.orderby = parseOrderBy(orderby);
  const top = search.get('$top');
  if (top !== null) q.top = nonNegativeInt('$top', top);
  const skip = search.get('$skip');
  if (skip !== null) q.skip = nonNegativeInt('$skip', skip);
  const count = search.get('$count');
  if (count !== null) {
    if (count !== 'true' && count !== 'false') throw new ODataSyntaxError(`$count must be true or false, got '${count}'.`);
    q.count = count === 'true';
  }
  const expand = search.get('$expand');
  if (expand !== null) q.expand = parseExpand(expand);
  const skiptoken = search.get('$skiptoken');
  if (skiptoken !== null) q.skiptoken = skiptoken;
  return q;
}

function compareValues(a: unknown, b: unknown): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an === bn ? 0 : an ? -1 : 1; // nulls sort first, as OData specifies
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Case-insensitive like the services' collations (see foldCase).
  const x = typeof a === 'string' ? foldCase(a) : JSON.stringify(a);
  const y = typeof b === 'string' ? foldCase(b) : JSON.stringify(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Filters, sorts, skips and takes. `total` is the count after $filter and before $skip/$top ($count semantics).
 * Projection ($select) is left to the caller (see projectRow) because servers add etags first.
 */
export function applyQuery<T>(rows: T[], q: ODataQuery, opts: EvaluateOptions = {}): { rows: T[]; total: number } {
  let out = q.filter ? rows.filter((r) => evaluateFilter(q.filter!, r as Record<string, unknown>, opts)) : rows.slice();
  const total = out.length;
  if (q.orderby && q.orderby.length > 0) {
    const order = q.orderby;
    out = out.slice().sort((ra, rb) => {
      for (const o of order) {
        const c = compareValues((ra as Record<string, unknown>)[o.field], (rb as Record<string, unknown>)[o.field]);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
  }
  const skip = q.skip ?? 0;
  const end = q.top === undefined ? undefined : skip + q.top;
  return { rows: out.slice(skip, end), total };
}

/** Keeps only the selected properties plus annotations (keys starting with '@'). */
export function projectRow(row: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select || select.includes('*')) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith('@') || select.includes(k)) out[k] = v;
  }
  return out;
}
