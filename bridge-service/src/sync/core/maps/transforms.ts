// Value transforms that need no lookup: value maps and NoYes <-> Boolean. Each returns a tagged result
// instead of throwing, so one bad value becomes a readable per-field problem.
import type { NoYesBooleanTransform, Scalar, ValueMapTransform } from './types';

export type TransformResult = { ok: true; value: Scalar } | { ok: false; message: string };

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

export function valueMapToDataverse(t: ValueMapTransform, value: Scalar): TransformResult {
  if (value === null) return { ok: true, value: null };
  const hit = [...t.pairs, ...(t.fnoOnly ?? [])].find((p) => same(p.fno, value));
  if (hit) return { ok: true, value: hit.dataverse };
  return { ok: false, message: `F&O value ${JSON.stringify(value)} has no Dataverse value in this map's value map` };
}

export function valueMapToFno(t: ValueMapTransform, value: Scalar): TransformResult {
  if (value === null) return { ok: true, value: null };
  const hit = t.pairs.find((p) => same(p.dataverse, value));
  if (hit) return { ok: true, value: hit.fno };
  return { ok: false, message: `Dataverse value ${JSON.stringify(value)} has no F&O value in this map's value map` };
}

export function noYesToBoolean(_t: NoYesBooleanTransform, value: Scalar): TransformResult {
  if (value === null) return { ok: true, value: null };
  if (value === 'Yes' || value === 1 || value === true) return { ok: true, value: true };
  if (value === 'No' || value === 0 || value === false) return { ok: true, value: false };
  return { ok: false, message: `expected the F&O NoYes value 'No' or 'Yes', got ${JSON.stringify(value)}` };
}

export function booleanToNoYes(_t: NoYesBooleanTransform, value: Scalar): TransformResult {
  if (value === null) return { ok: true, value: null };
  if (value === true) return { ok: true, value: 'Yes' };
  if (value === false) return { ok: true, value: 'No' };
  return { ok: false, message: `expected a Dataverse Boolean, got ${JSON.stringify(value)}` };
}
