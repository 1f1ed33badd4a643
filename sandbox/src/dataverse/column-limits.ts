// Maximum lengths of string columns, read at start from Microsoft's table reference as transcribed in
// ./reference (verbatim copies of test/fixtures/real/reference/dataverse). Dataverse refuses a longer value
// with 400 0x80044331 naming the column; the wording is the one Microsoft's $batch documentation shows.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataverseError } from './errors';

const FILES: Record<string, string> = { account: 'dv-account-attributes.txt', contact: 'dv-contact-attributes.txt' };

function readLimits(file: string): Map<string, number> {
  const text = readFileSync(fileURLToPath(new URL(`./reference/${file}`, import.meta.url)), 'utf8');
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const [name, , detail] = line.split('\t');
    const m = /MaxLength=(\d+)/.exec(detail ?? '');
    if (name && m) out.set(name.trim(), Number(m[1]));
  }
  return out;
}

const LIMITS = new Map(Object.entries(FILES).map(([table, file]) => [table, readLimits(file)]));

/** The column's maximum length: the environment's customisation, else the reference's; undefined when neither gives one. */
export function maxLengthOf(table: string, column: string, custom: Readonly<Record<string, number>> = {}): number | undefined {
  return custom[`${table}.${column}`] ?? LIMITS.get(table)?.get(column);
}

export function stringTooLong(table: string, column: string, max: number): DataverseError {
  return new DataverseError(400, '0x80044331',
    `A validation error occurred.  The length of the '${column}' attribute of the '${table}' entity exceeded the maximum allowed length of '${max}'.`);
}

/** Throws as Dataverse does when a string value is longer than its column allows. */
export function checkLength(table: string, column: string, value: string, custom: Readonly<Record<string, number>> = {}): void {
  const max = maxLengthOf(table, column, custom);
  if (max !== undefined && value.length > max) throw stringTooLong(table, column, max);
}
