// Shared by the solution tests: the reference material, a tiny element-path reader, xmllint and unzip.
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';

export const solutionDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(solutionDir, '..');
export const fixtureControls = join(solutionDir, 'test', 'fixtures', 'controls-out');
export const referenceDir = join(repoRoot, 'test', 'fixtures', 'real', 'reference', 'solution');
export const pacZipDir = join(referenceDir, 'ydgs-PCF-CustomisableHTMLTooltipSolution', 'zip-managed');
export const coeEnvVarDir = join(referenceDir, 'microsoft-coe-starter-kit-envvars');
export const xsdDir = join(referenceDir, 'xsd-9.0.0.2090');
/** The bridge address the tests build packages for: its host is the controls' declared external service. */
export const BRIDGE = 'https://bridge.contoso.example';

/**
 * Microsoft's schema set carries two .NET-only regular expressions in FormXml.xsd (an escaped `$` and
 * a `(?!crm_)` look-ahead) that XML Schema, and so libxml2, rejects: the whole set then fails to
 * compile. Copy the set and rewrite just those two patterns to their XSD form (the look-ahead is
 * dropped, which only loosens a form-parameter name check). Nothing on the CustomControls path changes.
 * Returns the path of CustomizationsSolution.xsd in the copy.
 */
export function xmllintReadyXsd(targetDir: string): string {
  for (const name of readdirSync(xsdDir).filter((n) => n.endsWith('.xsd'))) copyFileSync(join(xsdDir, name), join(targetDir, name));
  const formXml = join(targetDir, 'FormXml.xsd');
  let source = readFileSync(formXml, 'utf8');
  for (const [from, to] of [
    ['value ="(\\$webresource:|/)(.)+"', 'value ="($webresource:|/)(.)+"'],
    ['value="(?![cC][rR][mM]_)([A-Za-z0-9])+([_])+([A-Za-z0-9_])*"', 'value="([A-Za-z0-9])+([_])+([A-Za-z0-9_])*"'],
  ]) {
    if (!source.includes(from)) throw new Error(`FormXml.xsd no longer contains ${from}: revisit xmllintReadyXsd.`);
    source = source.replace(from, to);
  }
  writeFileSync(formXml, source);
  return join(targetDir, 'CustomizationsSolution.xsd');
}

/** Slash-joined path of every start element, in document order (comments and declarations skipped). */
export function elementPaths(xml: string): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const m of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)([A-Za-z_][\w:.-]*)((?:[^>"']|"[^"]*"|'[^']*')*?)(\/?)>/g)) {
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      stack.pop();
      continue;
    }
    stack.push(name);
    paths.push(stack.join('/'));
    if (selfClosing) stack.pop();
  }
  return paths;
}

/** Collapses runs of the same path (a list of n items reads the same as a list of one). */
export function distinctRuns(paths: string[]): string[] {
  return paths.filter((p, i) => i === 0 || p !== paths[i - 1]);
}

export const hasXmllint = spawnSync('xmllint', ['--version']).error === undefined;

export function xmllintSchema(xsd: string, file: string): { ok: boolean; output: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint could not run (${run.error.message}): install libxml2-utils.`);
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

export function unzip(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(bytes)));
}

export const text = (bytes: Uint8Array | undefined): string => {
  if (!bytes) throw new Error('file missing from zip');
  return new TextDecoder().decode(bytes);
};
