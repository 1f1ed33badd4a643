// CSDL (EDMX 4.0) for what the sandbox serves: entity types, keys, properties, enum types and the container.
import { NS, type FnoSchema } from './schema';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function buildMetadataXml(schema: FnoSchema): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    `    <Schema Namespace="${NS}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
  ];
  for (const e of schema.entities.values()) {
    out.push(`      <EntityType Name="${esc(e.typeName)}">`, '        <Key>');
    for (const k of e.keys) out.push(`          <PropertyRef Name="${esc(k)}" />`);
    out.push('        </Key>');
    for (const p of e.properties) out.push(`        <Property Name="${esc(p.name)}" Type="${esc(p.type)}"${p.nullable ? '' : ' Nullable="false"'} />`);
    out.push('      </EntityType>');
  }
  for (const en of schema.enums.values()) {
    out.push(`      <EnumType Name="${esc(en.name)}">`);
    for (const m of en.members) out.push(`        <Member Name="${esc(m.name)}" Value="${m.value}" />`);
    out.push('      </EnumType>');
  }
  out.push('      <EntityContainer Name="Resources">');
  for (const e of schema.entities.values()) out.push(`        <EntitySet Name="${esc(e.entitySet)}" EntityType="${NS}.${esc(e.typeName)}" />`);
  out.push('      </EntityContainer>', '    </Schema>', '  </edmx:DataServices>', '</edmx:Edmx>', '');
  return out.join('\n');
}
