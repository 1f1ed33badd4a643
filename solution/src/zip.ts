// Deterministic zip writing: entries in the order given, fixed timestamps and options, so the same
// input always gives the same bytes (reproducible builds, and a diff that means something).
import { zipSync, type Zippable } from 'fflate';

export interface ZipEntry {
  path: string;
  data: Uint8Array;
}

// fflate stores DOS time from the local-time getters; a Date built from local components reads the
// same in every time zone. 1980-01-01 is the earliest DOS date.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

export function writeZip(entries: readonly ZipEntry[]): Uint8Array {
  const seen = new Set<string>();
  const zippable: Zippable = {};
  for (const entry of entries) {
    if (seen.has(entry.path)) throw new Error(`Two files would be written to "${entry.path}" in the zip.`);
    seen.add(entry.path);
    // Object key order is insertion order for non-numeric keys; every path here has a "." or "/".
    zippable[entry.path] = [entry.data, { level: 6, mtime: FIXED_MTIME, os: 0 }];
  }
  return zipSync(zippable, { level: 6, mtime: FIXED_MTIME });
}
