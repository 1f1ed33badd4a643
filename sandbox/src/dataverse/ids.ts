// Ids shaped as Dataverse makes them: sequential GUIDs (SQL Server NEWSEQUENTIALID) such as
// ec4e2f7d-9d60-e811-a95a-000d3af24950 from Microsoft's webhook sample. The first group counts up, the
// tail is the same for one server, and the version/variant nibbles are not RFC 4122's (here the third group
// always starts with 'e'), so a client that validates ids as RFC UUIDs fails against the sandbox as it
// would against a real environment.
import { createHash, randomBytes } from 'node:crypto';

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0').slice(-width);

/** A stable id for a seeded row (derived from table and key, so tests can name rows). */
export function dvId(table: string, key: string): string {
  const h = createHash('sha1').update(`finops-bridge-sandbox:${table}:${key.toLowerCase()}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-e${h.slice(13, 16)}-${h.slice(16, 20)}-000d3a${h.slice(20, 26)}`;
}

const server = randomBytes(8).toString('hex');
let next = randomBytes(4).readUInt32BE(0);

/** The id of a row created without one: sequential within this process, as NEWSEQUENTIALID is per server. */
export function newDataverseId(): string {
  next = (next + 1) >>> 0;
  return `${hex(next, 8)}-${server.slice(0, 4)}-e${server.slice(4, 7)}-a${server.slice(7, 10)}-000d3a${server.slice(10, 16)}`;
}
