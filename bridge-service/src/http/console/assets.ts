// The admin console's script. A built bridge (dist/server.js) serves dist/admin/console.js, which
// `npm run build -w bridge-service` writes. Run from source (tsx: `npm start`, the tests) there is no build: the
// script is bundled from controls/admin-console/ on first use with esbuild (a development dependency), kept in
// memory, so a fresh clone needs no build step.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface ConsoleAssets {
  /** The console's script (one file: React, Fluent UI, MSAL and the console). */
  script(): Promise<Buffer>;
}

/** Where the built script lies beside the built server (dist/admin/console.js). */
const BUILT = fileURLToPath(new URL('./admin/console.js', import.meta.url));
/** The console's entry in the source tree, from this file (bridge-service/src/http/console/). */
export const CONSOLE_ENTRY = fileURLToPath(new URL('../../../../controls/admin-console/main.tsx', import.meta.url));

/**
 * esbuild options of the console bundle: one minified browser script, React in production mode, resx files as
 * text. scripts/build.mjs writes the same bundle to dist/admin/ (keep the two in step).
 */
export const CONSOLE_BUILD = {
  bundle: true, minify: true, format: 'iife', platform: 'browser', target: 'es2019', jsx: 'transform',
  define: { 'process.env.NODE_ENV': '"production"' }, loader: { '.resx': 'text' }, logLevel: 'warning', legalComments: 'none',
  // Not controls/tsconfig.json: it extends pcf-scripts' base, which a bridge-only install (the Dockerfile) lacks.
  tsconfigRaw: {},
} as const;

export function consoleAssets(): ConsoleAssets {
  let bundled: Promise<Buffer> | null = null;
  return {
    script() {
      bundled ??= (existsSync(BUILT) ? readFile(BUILT) : bundleFromSource()).catch((e: unknown) => {
        bundled = null;
        throw e;
      });
      return bundled;
    },
  };
}

async function bundleFromSource(): Promise<Buffer> {
  if (!existsSync(CONSOLE_ENTRY)) {
    throw new Error(`the admin console is not built (${BUILT} is missing): run npm run build -w bridge-service`);
  }
  const { build } = await import('esbuild');
  const result = await build({ ...CONSOLE_BUILD, entryPoints: [CONSOLE_ENTRY], write: false });
  return Buffer.from(result.outputFiles[0].contents);
}
