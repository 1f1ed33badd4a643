// Reads the reference metadata folder (test/fixtures/real/reference layout) for validateMaps. Only the files that
// exist are used; a missing folder yields empty metadata (names are then not checked).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDataverseColumns, parseEnumMembers, parseFnoProperties, type ReferenceMetadata } from './metadata';

/** F&O entity type (file name) -> public entity set name. */
const ENTITY_SETS: Record<string, string> = {
  CustomerV3: 'CustomersV3', CustomerGroup: 'CustomerGroups', LegalEntity: 'LegalEntities', PaymentTerm: 'PaymentTerms',
  ReleasedProductV2: 'ReleasedProductsV2', VendorV2: 'VendorsV2', SalesInvoiceHeaderV2: 'SalesInvoiceHeadersV2',
  SalesOrderHeaderV2: 'SalesOrderHeadersV2',
};

export function loadReferenceMetadata(dir: string): ReferenceMetadata {
  const metadata: ReferenceMetadata = { fno: {}, dataverse: {}, enums: {} };
  const fo = join(dir, 'fo-metadata');
  if (existsSync(fo)) {
    for (const file of readdirSync(fo)) {
      const props = /^(.+)\.properties\.tsv$/.exec(file);
      if (props) metadata.fno[ENTITY_SETS[props[1]] ?? props[1]] = parseFnoProperties(readFileSync(join(fo, file), 'utf8'));
      const en = /^([A-Za-z]+)\.xml$/.exec(file);
      if (en) {
        const xml = readFileSync(join(fo, file), 'utf8');
        if (xml.includes('<EnumType') && !xml.includes('<EntityType')) metadata.enums[en[1]] = parseEnumMembers(xml);
      }
    }
  }
  const dv = join(dir, 'dataverse');
  if (existsSync(dv)) {
    for (const file of readdirSync(dv)) {
      const m = /^dv-(.+?)-(attributes|columns)\.txt$/.exec(file);
      if (m) metadata.dataverse[m[1]] = parseDataverseColumns(readFileSync(join(dv, file), 'utf8'));
    }
  }
  return metadata;
}
