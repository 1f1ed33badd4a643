// Which rows a `$filter` can possibly match, read from an equality index instead of the whole table. Only
// `property eq literal` terms AND-ed at the top of the filter narrow the rows; the caller still evaluates the
// whole filter on the candidates, so the answer (rows, order, $count) is the one a full scan gives.
import type { FilterExpr, LiteralNode } from '../odata/filter';
import type { EqualityIndex } from './indexed-table';

export interface EqualityTerm { property: string; value: string | number | boolean }

// Literal types whose `eq` holds only between values with the same index key (see indexKeyOf). Datetimes
// compare as instants and enums through a resolver, so they cannot narrow; null matches missing values.
const INDEXABLE = new Set<LiteralNode['type']>(['string', 'number', 'boolean', 'guid']);

function term(expr: FilterExpr): EqualityTerm | undefined {
  if (expr.kind !== 'compare' || expr.op !== 'eq') return undefined;
  const [prop, lit] = expr.left.kind === 'property' ? [expr.left, expr.right] : [expr.right, expr.left];
  if (prop.kind !== 'property' || prop.path.includes('/') || lit.kind !== 'literal' || !INDEXABLE.has(lit.type)) return undefined;
  if (lit.value === null) return undefined;
  return { property: prop.path, value: lit.value };
}

/** The `property eq literal` terms every matching row satisfies (those AND-ed at the top level). */
export function equalityTerms(expr: FilterExpr): EqualityTerm[] {
  if (expr.kind === 'logical' && expr.op === 'and') return [...equalityTerms(expr.left), ...equalityTerms(expr.right)];
  const t = term(expr);
  return t ? [t] : [];
}

/**
 * The rows of the smallest bucket among the filter's equality terms, in table order; undefined when the
 * filter has no such term (scan the table). May hold rows the filter rejects, never misses one it accepts.
 */
export function filterCandidates<R>(index: EqualityIndex<R>, filter: FilterExpr | undefined): R[] | undefined {
  if (!filter) return undefined;
  let best: EqualityTerm | undefined;
  let bestCount = Infinity;
  for (const t of equalityTerms(filter)) {
    const n = index.count([t.property], [t.value]);
    if (n < bestCount) { best = t; bestCount = n; }
    if (n === 0) break;
  }
  return best ? index.lookup([best.property], [best.value]) : undefined;
}
