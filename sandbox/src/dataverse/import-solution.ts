// The ImportSolution action (POST /api/data/v9.2/ImportSolution): reads what the solution zip declares with
// the solution builder's own reader and creates or updates the solution, its publisher, the environment
// variable definitions and the custom controls, then records the import job. Synchronous, as the
// platform's ImportSolution is; it answers 204 (the action returns no value).
import { readSolutionZip, SolutionPackageError, type DeclaredSolution } from '../../../solution/src/read-solution-zip';
import { ENVIRONMENT_VARIABLE_TYPE_CODE } from '../../../solution/src/environment-variable-xml';
import { DataverseError, dvErrors } from './errors';
import { createRow, inTransaction, updateRow, type OpContext } from './operations';
import { LOOKUP_TARGET_ANNOTATION } from './schema-types';
import { ROLE_IDS } from './seed';
import { text, type Row } from './store';
import { TABLE_BY_NAME } from './tables';

export interface ImportSolutionParameters {
  CustomizationFile: string;
  OverwriteUnmanagedCustomizations: boolean;
  PublishWorkflows: boolean;
  ImportJobId: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks the action's parameters (all four are non-nullable on the platform). */
export function parseImportParameters(body: unknown): ImportSolutionParameters {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw dvErrors.badRequest('The ImportSolution body must be a JSON object with CustomizationFile, OverwriteUnmanagedCustomizations, PublishWorkflows and ImportJobId.');
  const b = body as Record<string, unknown>;
  const missing = (name: string, what: string) => dvErrors.badRequest(`ImportSolution needs ${name} (${what}).`);
  if (typeof b.CustomizationFile !== 'string' || b.CustomizationFile === '') throw missing('CustomizationFile', 'the solution zip, base64-encoded');
  const file = b.CustomizationFile.replace(/\s/g, '');
  if (file.length % 4 !== 0 || !BASE64.test(file)) throw dvErrors.badRequest('CustomizationFile is not base64: encode the solution zip with standard base64 (A-Z, a-z, 0-9, +, /, = padding).');
  if (typeof b.OverwriteUnmanagedCustomizations !== 'boolean') throw missing('OverwriteUnmanagedCustomizations', 'true or false');
  if (typeof b.PublishWorkflows !== 'boolean') throw missing('PublishWorkflows', 'true or false');
  if (typeof b.ImportJobId !== 'string' || !GUID.test(b.ImportJobId)) throw missing('ImportJobId', 'a new GUID that names the import job');
  return { CustomizationFile: file, OverwriteUnmanagedCustomizations: b.OverwriteUnmanagedCustomizations, PublishWorkflows: b.PublishWorkflows, ImportJobId: b.ImportJobId.toLowerCase() };
}

/** -1, 0 or 1 for dotted versions ("1.0.2.0"), missing parts counting as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Why the platform would refuse this package over the installed solution, or undefined. */
export function importConflict(installed: Row | undefined, declared: DeclaredSolution): string | undefined {
  if (!installed) return undefined;
  const name = declared.uniqueName;
  if (installed.ismanaged === true && !declared.managed) {
    return `The solution ${name} is installed as a managed solution and this package is unmanaged: import the managed package, or delete the managed solution first.`;
  }
  if (installed.ismanaged !== true && declared.managed) {
    return `The solution ${name} is installed as an unmanaged solution and this package is managed: delete the unmanaged solution first, or import the unmanaged package.`;
  }
  if (declared.managed && compareVersions(declared.version, text(installed.version)) < 0) {
    return `The package holds ${name} ${declared.version}, older than the installed ${text(installed.version)}: import version ${text(installed.version)} or later.`;
  }
  return undefined;
}

const xmlAttr = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const lookup = (column: string, table: string, id: string): Row => ({ [`_${column}_value`]: id, [`_${column}_value${LOOKUP_TARGET_ANNOTATION}`]: table });

/** Only the application user holding System Customizer (or System Administrator) imports solutions. */
function assertMayImport(ctx: OpContext): void {
  const allowed = new Set<string>([ROLE_IDS.systemCustomizer, ROLE_IDS.systemAdministrator]);
  const roles = ctx.store.all('systemuserroles').filter((r) => text(r.systemuserid).toLowerCase() === ctx.caller.systemUserId.toLowerCase());
  if (!ctx.caller.isApp || !roles.some((r) => allowed.has(text(r.roleid).toLowerCase()))) {
    throw dvErrors.missingPrivilege(ctx.caller.systemUserId, 'prvImportCustomization (System Customizer role; the sandbox grants it to the bridge application user)');
  }
}

/** Creates the row, or updates the one whose `keyColumn` equals the patch's (case-insensitively). */
async function upsertBy(ctx: OpContext, tableName: string, keyColumn: string, patch: Row): Promise<Row> {
  const t = TABLE_BY_NAME.get(tableName)!;
  const key = text(patch[keyColumn]).toLowerCase();
  const existing = ctx.store.all(tableName).find((r) => text(r[keyColumn]).toLowerCase() === key);
  return existing ? updateRow(ctx, t, existing, patch) : createRow(ctx, t, patch);
}

export async function importSolution(ctx: OpContext, body: unknown): Promise<void> {
  assertMayImport(ctx);
  const params = parseImportParameters(body);
  if (ctx.store.get('importjob', params.ImportJobId)) throw dvErrors.badRequest(`An import job ${params.ImportJobId} already exists: pass a new GUID as ImportJobId.`);
  let declared: DeclaredSolution;
  try {
    declared = readSolutionZip(Buffer.from(params.CustomizationFile, 'base64'));
  } catch (e) {
    if (e instanceof SolutionPackageError) throw new DataverseError(400, '0x80040203', `The import file is invalid: ${e.message}`);
    throw e;
  }
  const installed = ctx.store.all('solution').find((s) => text(s.uniquename).toLowerCase() === declared.uniqueName.toLowerCase());
  const conflict = importConflict(installed, declared);
  if (conflict) throw new DataverseError(400, '0x80040203', conflict);
  const startedon = new Date().toISOString();
  await inTransaction(ctx, async () => {
    const publisher = await upsertBy(ctx, 'publisher', 'uniquename', {
      uniquename: declared.publisher.uniqueName, friendlyname: declared.publisher.uniqueName, customizationprefix: declared.publisher.prefix,
    });
    const solution = await upsertBy(ctx, 'solution', 'uniquename', {
      uniquename: declared.uniqueName, friendlyname: declared.displayName || declared.uniqueName, version: declared.version,
      ismanaged: declared.managed, isvisible: true, installedon: startedon, ...lookup('publisherid', 'publisher', text(publisher.publisherid)),
    });
    for (const v of declared.environmentVariables) {
      await upsertBy(ctx, 'environmentvariabledefinition', 'schemaname', {
        schemaname: v.schemaName, displayname: v.displayName, type: ENVIRONMENT_VARIABLE_TYPE_CODE[v.type], defaultvalue: v.defaultValue, isrequired: v.isRequired,
      });
    }
    for (const c of declared.controls) {
      await upsertBy(ctx, 'customcontrol', 'name', { name: c.name, version: c.version, ismanaged: declared.managed });
    }
    await createRow(ctx, TABLE_BY_NAME.get('importjob')!, {
      importjobid: params.ImportJobId, name: declared.uniqueName, solutionname: declared.uniqueName, solutionid: solution.solutionid, progress: 100,
      startedon, completedon: new Date().toISOString(), operationcontext: 'Import',
      data: `<importexportxml><solutionManifests><solutionManifest languagecode="1033" id="${xmlAttr(declared.uniqueName)}" version="${xmlAttr(declared.version)}" managed="${declared.managed ? 1 : 0}"><result result="success" /></solutionManifest></solutionManifests></importexportxml>`,
    });
  });
}
