// What the controls need from the PCF context, read in one place.
import { hostFormatter, intlFormatter, type Formatter, type HostFormatting } from './formatter';
import type { Translate } from './strings';
import type { LoadDependency } from './token/msal-token-provider';

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

export interface HostContext {
  /** The form's record id (lower case, no braces); null on a new, unsaved record. */
  recordId: string | null;
  /** The form's table logical name, when the host tells it. */
  tableName: string | null;
  /** False when the form is disabled or field security makes the bound field read-only. */
  editable: boolean;
  locale?: string;
  t: Translate;
}

/** Pure: the record id from the form, or else from the bound value when that holds a GUID. */
export function pickRecordId(entityId: string | null | undefined, boundValue: string | null | undefined): string | null {
  for (const candidate of [entityId, boundValue]) {
    const m = candidate ? GUID.exec(candidate.trim()) : null;
    if (m) return m[1].toLowerCase();
  }
  return null;
}

// getString is a method of a per-control resources object: keep one stable function per object so
// memoised components and effects do not re-run on every render.
const translators = new WeakMap<object, Translate>();

function translatorFor(resources: ComponentFramework.Resources): Translate {
  let t = translators.get(resources);
  if (!t) {
    t = (key: string) => {
      try {
        return resources.getString(key) || key;
      } catch {
        return key;
      }
    };
    translators.set(resources, t);
  }
  return t;
}

// One formatter per host formatting object, user settings object and locale: updateView runs often, and a
// new formatter each time would re-render every memoised component.
const formatters = new WeakMap<object, WeakMap<object, Map<string, Formatter>>>();
const NO_SETTINGS = {};

/** The user's personal number and date formats (context.formatting, context.userSettings), Intl where absent. */
export function formatterFor(context: HostFormatting, locale: string): Formatter {
  const formatting = context.formatting;
  if (!formatting) return intlFormatter(locale);
  const settings: object = context.userSettings ?? NO_SETTINGS;
  let bySettings = formatters.get(formatting);
  if (!bySettings) formatters.set(formatting, (bySettings = new WeakMap<object, Map<string, Formatter>>()));
  let byLocale = bySettings.get(settings);
  if (!byLocale) bySettings.set(settings, (byLocale = new Map<string, Formatter>()));
  let f = byLocale.get(locale);
  if (!f) byLocale.set(locale, (f = hostFormatter(locale, context)));
  return f;
}

interface ContextInfo {
  entityId?: string;
  entityTypeName?: string;
}

export function readHostContext(context: ComponentFramework.Context<unknown>, bound: ComponentFramework.PropertyTypes.StringProperty | undefined): HostContext {
  // contextInfo is present on model-driven forms though not in the public typings.
  const info = (context.mode as unknown as { contextInfo?: ContextInfo }).contextInfo;
  const security = bound?.security;
  return {
    recordId: pickRecordId(info?.entityId, bound?.raw),
    tableName: info?.entityTypeName ?? null,
    editable: !context.mode.isControlDisabled && security?.editable !== false,
    locale: (context.userSettings as unknown as { locale?: string }).locale,
    t: translatorFor(context.resources),
  };
}

// One loader per utils object, for the same reason as the translators: memoised components.
const loaders = new WeakMap<object, LoadDependency>();

/** The host's context.utils.loadDependency (on-demand dependencies of model-driven apps), bound; undefined where absent. */
export function dependencyLoader(context: { utils?: ComponentFramework.Utility }): LoadDependency | undefined {
  const utils = context.utils;
  if (typeof utils?.loadDependency !== 'function') return undefined;
  let load = loaders.get(utils);
  if (!load) loaders.set(utils, (load = (name: string) => utils.loadDependency!(name)));
  return load;
}
