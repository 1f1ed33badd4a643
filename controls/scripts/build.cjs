/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file (controls/ is not an ES module package) */
// Wraps `pcf-scripts build`, which exits 0 even when it fails: the build counts as passed only when
// its output says `[build] Succeeded` and has no `[build] Failed` and no `[pcf-...]` error line.
// Then prints each control's bundle size. Usage: node scripts/build.cjs [production|development]
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const controlsDir = path.resolve(__dirname, '..');
const outDir = path.join(controlsDir, 'out', 'controls');
const mode = process.argv[2] === 'development' ? 'development' : 'production';

/** Pure: decides from pcf-scripts' output whether the build really succeeded. */
function buildVerdict(rawOutput) {
  // eslint-disable-next-line no-control-regex
  const output = rawOutput.replace(/\u001b\[[0-9;]*m/g, '');
  const errors = output.split(/\r?\n/).filter((l) => /\[pcf-\d+\]/i.test(l) && /error/i.test(l));
  const ok = output.includes('[build] Succeeded') && !output.includes('[build] Failed') && errors.length === 0;
  return { ok, errors };
}

function main() {
  fs.rmSync(path.join(controlsDir, 'out'), { recursive: true, force: true });
  const pcfScripts = path.join(controlsDir, 'node_modules', 'pcf-scripts', 'bin', 'pcf-scripts.js');
  const run = spawnSync(process.execPath, [pcfScripts, 'build', '--buildMode', mode], {
    cwd: controlsDir,
    env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: 'true' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  process.stdout.write(output);
  const verdict = buildVerdict(output);
  if (run.status !== 0 || !verdict.ok) {
    console.error(`\nBuild FAILED (pcf-scripts exit ${run.status}${verdict.errors.length ? `, ${verdict.errors.length} error line(s)` : ''}).`);
    process.exit(1);
  }
  console.log(`\nBundle sizes (${mode}):`);
  for (const name of fs.readdirSync(outDir).sort()) {
    const bundle = path.join(outDir, name, 'bundle.js');
    if (fs.existsSync(bundle)) {
      const bytes = fs.statSync(bundle).size;
      console.log(`  ${name.padEnd(16)} ${(bytes / 1024).toFixed(1).padStart(8)} KB  (${bytes} bytes)`);
    }
  }
}

if (require.main === module) main();
module.exports = { buildVerdict };
