// Reads the admin's maps file (SYNC_MAPS_FILE) and applies it to the shipped maps; without one, the shipped maps.
import fs from 'node:fs';
import { SHIPPED_MAPS } from '../core/maps/shipped/index';
import { applyMapsFile, MapsFileError } from '../core/maps/maps-file';
import type { TableMap } from '../core/maps/types';

export function mapsWithFile(file: string | undefined, shipped: readonly TableMap[] = SHIPPED_MAPS): readonly TableMap[] {
  if (!file) return shipped;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MapsFileError(file, [{ line: null, message: `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): SYNC_MAPS_FILE names a file the bridge can read` }]);
  }
  return applyMapsFile(text, file, shipped);
}
