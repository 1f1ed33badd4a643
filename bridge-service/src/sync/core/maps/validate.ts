// Map validation at start: every problem found, each saying which map, which field and what to do.
import { DELETE_ACTIONS } from '../../../contracts/states';
import type { ReferenceMetadata } from './metadata';
import { findCycle } from './order';
import type { FieldMapping, TableMap } from './types';

export interface Problem {
  map: string;
  field?: string;
  message: string;
}

export class MapValidationError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s) in the table maps:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'MapValidationError';
  }
}

export function formatProblem(p: Problem): string {
  return `- map '${p.map}'${p.field ? `, field ${p.field}` : ''}: ${p.message}`;
}

/** How problems name a field mapping: "F&O field, direction, Dataverse column". */
export const fieldLabel = (f: FieldMapping): string => `${f.fno ?? '(none)'} ${f.dir} ${f.dataverse ?? '(none)'}`;

function checkMap(map: TableMap, metadata: ReferenceMetadata | undefined): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string, field?: string) => problems.push({ map: map.name, field, message });
  const twoWay = map.direction === 'both';
  const toDataverse = map.direction !== 'dataverse_to_fno';
  const toFno = map.direction !== 'fno_to_dataverse';

  if (!/^[a-z][a-z0-9-]*$/.test(map.name)) add('the name must be lower case letters, digits and dashes');
  if (map.fno.keys.length === 0) add('the F&O side has no key fields: list them in fno.keys');
  if (map.dataverse.alternateKey.length === 0) add('the Dataverse side has no alternate key: list its columns in dataverse.alternateKey');
  if (map.fno.companyField && !map.fno.keys.includes(map.fno.companyField)) {
    add(`the company field ${map.fno.companyField} must be part of fno.keys`);
  }
  const oneCompanyToGlobal = map.direction === 'fno_to_dataverse' && map.legalEntities !== 'all' && map.legalEntities.length === 1;
  if (map.fno.companyField && !oneCompanyToGlobal
    && (!map.dataverse.companyLookup || !map.dataverse.alternateKey.includes(map.dataverse.companyLookup))) {
    add('a company-specific map needs dataverse.companyLookup in dataverse.alternateKey (or, one way to a global table, a scope of exactly one legal entity), otherwise rows of different companies overwrite each other');
  }
  if (map.legalEntities !== 'all' && map.legalEntities.length === 0) add("legalEntities is an empty list: use 'all' or name at least one dataAreaId");
  if (map.legalEntities !== 'all' && !map.fno.companyField) add('legalEntities can only limit a company-specific map (set fno.companyField)');

  // The target's key must be produced by the mapping; the source's key is kept in the link.
  for (const key of toFno ? map.fno.keys : []) {
    const f = map.fields.find((x) => x.fno === key && x.key);
    if (!f) add(`the F&O key field is not mapped (add a field mapping with key: true)`, key);
    else if (twoWay && f.dir !== '=') add(`a key must be mapped both ways ('=') on a two-way map, not '${f.dir}'`, key);
  }
  for (const column of toDataverse ? map.dataverse.alternateKey : []) {
    const f = map.fields.find((x) => x.dataverse === column && x.key);
    if (!f) add('the Dataverse alternate key column is not mapped (add a field mapping with key: true)', column);
    else if (twoWay && f.dir !== '=') add(`a key must be mapped both ways ('=') on a two-way map, not '${f.dir}'`, column);
  }

  const seenTargets = new Map<string, string>();
  for (const f of map.fields) {
    const name = fieldLabel(f);
    if (f.fno === null && f.dataverse === null) { add('a field mapping needs an F&O field, a Dataverse column or both', name); continue; }
    if (f.fno === null && f.dir !== '>') add("with no F&O field the mapping can only flow to Dataverse ('>')", name);
    if (f.dataverse === null && f.dir !== '<') add("with no Dataverse column the mapping can only flow to F&O ('<')", name);
    if (f.dir === '>' && !toDataverse) add("the map never syncs F&O to Dataverse, so this '>' mapping is never used", name);
    if (f.dir === '<' && !toFno) add("the map never syncs Dataverse to F&O, so this '<' mapping is never used", name);
    const sourceless = (f.dir === '>' && f.fno === null) || (f.dir === '<' && f.dataverse === null);
    if (sourceless && f.default === undefined) add('nothing feeds this target: give it a source field or a default', name);
    if (f.required && f.default === undefined && f.transform?.kind !== 'lookup' && (f.fno === null || f.dataverse === null)) {
      add('a required target field has no source and no default', name);
    }
    for (const [side, target] of [['dataverse', f.dataverse], ['fno', f.fno]] as const) {
      const flows = side === 'dataverse' ? f.dir !== '<' : f.dir !== '>';
      if (!target || !flows) continue;
      const k = `${side}:${target}`;
      if (seenTargets.has(k)) add(`${target} is written by two mappings (${seenTargets.get(k)} and ${name}): keep one`, name);
      seenTargets.set(k, name);
    }
    const t = f.transform;
    if (t?.kind === 'valueMap') {
      const dv = t.pairs.map((p) => p.dataverse);
      const dup = dv.find((v, i) => dv.indexOf(v) !== i);
      if (dup !== undefined) add(`the value map has Dataverse value ${JSON.stringify(dup)} twice, so the way back is ambiguous: move one to fnoOnly`, name);
      const members = t.fnoEnum ? metadata?.enums[t.fnoEnum] : undefined;
      if (members) {
        const covered = new Set([...t.pairs, ...(t.fnoOnly ?? [])].map((p) => String(p.fno).toLowerCase()));
        const missing = members.filter((m) => !covered.has(m.toLowerCase()));
        if (missing.length) add(`the value map does not cover ${t.fnoEnum} member(s) ${missing.join(', ')}: add them to pairs or fnoOnly`, name);
      }
    }
    if (t?.kind === 'lookup' && t.selfReference && t.entitySet !== map.dataverse.entitySet) {
      add(`a self reference must point to this map's own table (${map.dataverse.entitySet}), not ${t.entitySet}`, name);
    }
    if (t?.kind === 'lookup' && t.companyScoped && !map.fno.companyField) add('a company-scoped lookup needs a company-specific map', name);
    if (t?.kind === 'noYesBoolean' && (f.fno === null || f.dataverse === null)) add('a NoYes/Boolean transform needs both a field and a column', name);
  }

  problems.push(...checkDeletes(map));
  if (metadata) problems.push(...checkNames(map, metadata));
  return problems;
}

function checkDeletes(map: TableMap): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ map: map.name, field: 'deletes', message });
  const d = map.deletes;
  if (!d) return problems;
  const actions: readonly string[] = DELETE_ACTIONS;
  for (const [side, action, flows] of [
    ['fno', d.fnoDeleted, map.direction !== 'dataverse_to_fno'],
    ['dataverse', d.dataverseDeleted, map.direction !== 'fno_to_dataverse'],
  ] as const) {
    if (action === undefined) continue;
    const name = side === 'fno' ? 'fnoDeleted' : 'dataverseDeleted';
    if (!actions.includes(action)) { add(`${name} must be one of ${actions.join(', ')}, not '${String(action)}'`); continue; }
    if (!flows) { add(`${name} is set, but the map never syncs from ${side === 'fno' ? 'F&O' : 'Dataverse'}: remove it`); continue; }
    const target = side === 'fno' ? 'dataverse' : 'fno';
    const values = d.deactivate?.[target];
    if (action === 'deactivate' && (!values || Object.keys(values).length === 0)) {
      add(target === 'dataverse'
        ? `${name} is 'deactivate': list the values that deactivate a ${map.dataverse.table} row in deletes.deactivate.dataverse (usually statecode and statuscode)`
        : `${name} is 'deactivate', but F&O has no generic deactivate: name the field and value in deletes.deactivate.fno (for example OnHoldStatus: 'All'), or use 'delete' or 'unlink'`);
    }
  }
  return problems;
}

function checkNames(map: TableMap, metadata: ReferenceMetadata): Problem[] {
  const problems: Problem[] = [];
  const fno = metadata.fno[map.fno.entitySet];
  const dv = metadata.dataverse[map.dataverse.table];
  const fnoNames = [...map.fno.keys, ...map.fields.map((f) => f.fno), ...(map.filters?.fno ?? []).map((c) => c.field), ...Object.keys(map.deletes?.deactivate?.fno ?? {})];
  for (const name of new Set(fnoNames)) {
    if (name && fno && !fno.fields.has(name)) {
      problems.push({ map: map.name, field: name, message: `${map.fno.entitySet} has no field ${name} in the reference metadata (check spelling and case)` });
    }
  }
  const dvNames = [...map.dataverse.alternateKey, ...map.fields.map((f) => f.dataverse), ...(map.filters?.dataverse ?? []).map((c) => c.field), ...Object.keys(map.deletes?.deactivate?.dataverse ?? {})];
  for (const name of new Set(dvNames)) {
    if (name && dv && !dv.has(name)) {
      problems.push({ map: map.name, field: name, message: `table ${map.dataverse.table} has no column ${name} in the reference metadata (check spelling)` });
    }
  }
  return problems;
}

/** Every problem in a set of maps; [] when they are fine. Pass reference metadata to also check names. */
export function validateMaps(maps: readonly TableMap[], metadata?: ReferenceMetadata): Problem[] {
  const problems: Problem[] = [];
  const names = new Set<string>();
  for (const map of maps) {
    if (names.has(map.name)) problems.push({ map: map.name, message: 'two maps have this name: names must be unique' });
    names.add(map.name);
  }
  for (const map of maps) {
    problems.push(...checkMap(map, metadata));
    for (const dep of map.dependsOn) {
      if (dep === map.name) problems.push({ map: map.name, message: 'the map depends on itself' });
      else if (!names.has(dep)) problems.push({ map: map.name, message: `depends on '${dep}', which is not a known map` });
    }
  }
  const cycle = findCycle(maps);
  if (cycle.length > 2) problems.push({ map: cycle[0], message: `dependency cycle: ${cycle.join(' -> ')}. Remove one of these dependencies.` });
  return problems;
}

/** Throws one MapValidationError listing every problem. */
export function assertValidMaps(maps: readonly TableMap[], metadata?: ReferenceMetadata): void {
  const problems = validateMaps(maps, metadata);
  if (problems.length) throw new MapValidationError(problems);
}
