// The admin console's own resx strings (controls/admin-console/strings), so the tests look for exactly the text
// an admin of each language sees.
import fs from 'node:fs';
import path from 'node:path';
import { parseResx } from './strings';
import { CONTROLS_DIR } from './world';

export function consoleStrings(lcid: number): Record<string, string> {
  const file = path.join(CONTROLS_DIR, 'admin-console', 'strings', `AdminConsole.${lcid}.resx`);
  const all = parseResx(fs.readFileSync(file, 'utf8'));
  return new Proxy(all, {
    get(target, key: string) {
      if (!(key in target)) throw new Error(`${path.basename(file)} has no string ${key}`);
      return target[key];
    },
  });
}
