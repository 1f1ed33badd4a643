// Why a row was not written, in words an admin can act on. Dataverse's own message is kept at the end so
// nothing is lost; the front says which F&O field to fix and what to do next.
import type { BatchOperation } from '../../clients/odata/batch';
import type { TableMap } from './maps/types';

const TOO_LONG = /The length of the '(\w+)' attribute of the '(\w+)' entity exceeded the maximum allowed length of '(\d+)'/;
const RERUN = 'then rerun the initial sync with --failed-only';

/** A row whose request Dataverse never answered: the batch stopped at an earlier failure. */
export const NOT_TRIED = `not written: Dataverse stopped the $batch at an earlier failing row before it reached this one; ${RERUN}`;

export function writeFailureReason(map: TableMap, op: BatchOperation, message: string): string {
  const m = TOO_LONG.exec(message);
  if (m) {
    const [, column, table, max] = m;
    const value = (op.body as Record<string, unknown> | undefined)?.[column];
    const length = typeof value === 'string' ? ` is ${value.length} characters long, but` : ':';
    const field = map.fields.find((f) => f.dataverse === column)?.fno;
    const source = field ? `F&O ${field}` : `the value for ${column}`;
    return `${source}${length} Dataverse ${table}.${column} holds at most ${max} characters: shorten it in F&O, ${RERUN}. (Dataverse: ${message})`;
  }
  return `Dataverse refused the row: ${message}`;
}
