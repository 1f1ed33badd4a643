// Reference metadata for validation: F&O entity properties (`*.properties.tsv`: name, type, nullable,
// key) and Dataverse columns (`dv-*.txt`: logical name first). Parsing is pure; the caller reads files.

export interface EntityMetadata {
  fields: Map<string, { type: string; nullable: boolean; key: boolean }>;
}

/** Known metadata, by F&O entity set and by Dataverse table logical name. Absent entries are not checked. */
export interface ReferenceMetadata {
  fno: Record<string, EntityMetadata>;
  dataverse: Record<string, Set<string>>;
  /** F&O enum type name -> member names. */
  enums: Record<string, string[]>;
}

export function parseFnoProperties(tsv: string): EntityMetadata {
  const fields: EntityMetadata['fields'] = new Map();
  for (const line of tsv.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [name, type = '', nullable = 'true', key = ''] = line.split('\t');
    fields.set(name, { type, nullable: nullable === 'true', key: key === 'key' });
  }
  return { fields };
}

/** Column logical names from a Dataverse column list; a line may list several names joined by ' / '. */
export function parseDataverseColumns(text: string): Set<string> {
  const columns = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.startsWith('#') || line.startsWith('(')) continue;
    const first = line.split('\t')[0];
    for (const name of first.split(' / ')) {
      const clean = name.replace(/\(sic\)/, '').trim();
      if (/^[a-z][a-z0-9_]*$/.test(clean)) columns.add(clean);
    }
  }
  return columns;
}

/** Member names of an OData `<EnumType>` (as in CustVendorBlocked.xml). */
export function parseEnumMembers(xml: string): string[] {
  return [...xml.matchAll(/<Member\s+Name="([^"]+)"/g)].map((m) => m[1]);
}
