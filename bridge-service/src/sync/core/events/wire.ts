// The WCF data-contract encodings Dataverse uses in webhook bodies: synchronous steps wrap values as
// {"__type":"Guid:#System","__value":...}; dates are "/Date(ms)/" or "/Date(ms+hhmm)/" in both modes.

const WCF_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

/** "/Date(1527757524000)/" -> ISO 8601 (UTC); null when it is not such a date. The offset names the sender's zone; ms is UTC already. */
export function parseWcfDate(value: string): string | null {
  const m = WCF_DATE.exec(value);
  if (!m) return null;
  const ms = Number(m[1]);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

export interface EntityReferenceValue { Id: string; LogicalName: string | null; Name: string | null }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One attribute value in plain form: Guid -> lower-case string, DateTime -> ISO, OptionSetValue/Money -> number, EntityReference kept as {Id, LogicalName, Name}. */
export function unwrapValue(value: unknown): unknown {
  if (typeof value === 'string') return parseWcfDate(value) ?? value;
  if (Array.isArray(value)) return value.map(unwrapValue);
  if (!isRecord(value)) return value;
  const type = typeof value.__type === 'string' ? value.__type : '';
  if ('__value' in value) {
    const inner = value.__value;
    if (type.startsWith('Guid') && typeof inner === 'string') return inner.toLowerCase();
    return unwrapValue(inner);
  }
  if (type.startsWith('EntityReference') || ('LogicalName' in value && 'Id' in value && !('Attributes' in value))) {
    return {
      Id: typeof value.Id === 'string' ? value.Id.toLowerCase() : String(value.Id),
      LogicalName: typeof value.LogicalName === 'string' ? value.LogicalName : null,
      Name: typeof value.Name === 'string' ? value.Name : null,
    } satisfies EntityReferenceValue;
  }
  if ('Value' in value && Object.keys(value).every((k) => k === 'Value' || k === '__type' || k === 'ExtensionData')) {
    return unwrapValue(value.Value);
  }
  return value;
}
