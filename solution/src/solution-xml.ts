// solution.xml as pac writes it into a solution zip (compare test/fixtures/real/reference/solution/ydgs-.../
// zip-managed/solution.xml): pac's template comments, the publisher with both nil-filled addresses,
// root components sorted by type then name, and the Managed flag, which is the one line that differs
// between the managed and the unmanaged package.
import { COMPONENT_TYPE, controlComponentName, type Label, type SolutionDescription } from './description';
import { XML_DECLARATION, attrs, escapeXml, platformFile, textElement } from './xml';

const NIL_ADDRESS_FIELDS_BEFORE = ['City', 'County', 'Country', 'Fax', 'FreightTermsCode', 'ImportSequenceNumber',
  'Latitude', 'Line1', 'Line2', 'Line3', 'Longitude', 'Name', 'PostalCode', 'PostOfficeBox', 'PrimaryContactName'];
const NIL_ADDRESS_FIELDS_AFTER = ['StateOrProvince', 'Telephone1', 'Telephone2', 'Telephone3',
  'TimeZoneRuleVersionNumber', 'UPSZone', 'UTCOffset', 'UTCConversionTimeZoneCode'];

const nil = (name: string, indent: string): string => `${indent}<${name} xsi:nil="true"></${name}>`;

// Comments are pac's template text, spacing included.
function labels(container: string, element: string, list: Label[], indent: string, comment?: string): string[] {
  if (list.length === 0) return [`${indent}<${container} />`];
  return [
    `${indent}<${container}>`,
    ...(comment ? [`${indent}  ${comment}`] : []),
    ...list.map((l) => `${indent}  <${element}${attrs([['description', l.text], ['languagecode', l.languageCode]])} />`),
    `${indent}</${container}>`,
  ];
}

function address(addressNumber: number): string[] {
  const i = '          ';
  return [
    '        <Address>',
    `${i}${textElement('AddressNumber', addressNumber)}`,
    `${i}${textElement('AddressTypeCode', 1)}`,
    ...NIL_ADDRESS_FIELDS_BEFORE.map((f) => nil(f, i)),
    `${i}${textElement('ShippingMethodCode', 1)}`,
    ...NIL_ADDRESS_FIELDS_AFTER.map((f) => nil(f, i)),
    '        </Address>',
  ];
}

interface RootComponent { type: number; schemaName: string }

export function rootComponents(solution: SolutionDescription): RootComponent[] {
  const list: RootComponent[] = [
    ...solution.controls.map((c) => ({ type: COMPONENT_TYPE.customControl, schemaName: controlComponentName(solution.publisher.prefix, c) })),
    ...solution.environmentVariables.map((v) => ({ type: COMPONENT_TYPE.environmentVariableDefinition, schemaName: v.schemaName })),
  ];
  return list.sort((a, b) => a.type - b.type || (a.schemaName < b.schemaName ? -1 : a.schemaName > b.schemaName ? 1 : 0));
}

export function solutionXml(solution: SolutionDescription): string {
  const p = solution.publisher;
  const roots = rootComponents(solution);
  return platformFile([
    XML_DECLARATION,
    '<ImportExportXml version="9.1.0.643" SolutionPackageVersion="9.1" languagecode="' + escapeXml(String(solution.baseLanguage)) +
      '" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <SolutionManifest>',
    '    <!-- Unique Name of Cds Solution-->',
    `    ${textElement('UniqueName', solution.uniqueName)}`,
    ...labels('LocalizedNames', 'LocalizedName', solution.displayNames, '    ', '<!-- Localized Solution Name in language code -->'),
    ...labels('Descriptions', 'Description', solution.descriptions, '    '),
    `    ${textElement('Version', solution.version)}`,
    '    <!-- Solution Package Type: Unmanaged(0)/Managed(1)/Both(2)-->',
    `    ${textElement('Managed', solution.managed ? 1 : 0)}`,
    '    <Publisher>',
    '      <!-- Unique Publisher Name of Cds Solution -->',
    `      ${textElement('UniqueName', p.uniqueName)}`,
    ...labels('LocalizedNames', 'LocalizedName', p.displayNames, '      ', '<!-- Localized Cds Publisher Name in language code-->'),
    ...labels('Descriptions', 'Description', p.descriptions, '      ', '<!-- Description of Cds Publisher in language code -->'),
    nil('EMailAddress', '      '),
    nil('SupportingWebsiteUrl', '      '),
    '      <!-- Customization Prefix for the Cds Publisher-->',
    `      ${textElement('CustomizationPrefix', p.prefix)}`,
    '      <!-- Derived Option Value Prefix for the Customization Prefix of Cds Publisher -->',
    `      ${textElement('CustomizationOptionValuePrefix', p.optionValuePrefix)}`,
    '      <Addresses>',
    '        <!-- Address of the Publisher-->',
    ...address(1),
    ...address(2),
    '      </Addresses>',
    '    </Publisher>',
    ...(roots.length === 0
      ? ['    <RootComponents />']
      : [
        '    <RootComponents>',
        ...roots.map((r) => `      <RootComponent${attrs([['type', r.type], ['schemaName', r.schemaName], ['behavior', 0]])} />`),
        '    </RootComponents>',
      ]),
    // Everything the package needs is inside it; React and Fluent are platform libraries, not components.
    '    <MissingDependencies />',
    '  </SolutionManifest>',
    '</ImportExportXml>',
  ]);
}
