// Name parts per country, with the diacritics and apostrophes real customer lists hold, so that every
// escaping path (OData keys and filters, JSON, XML, URLs) is exercised by ordinary demo data.
export interface Locale {
  country: string; iso2: string; iso3: string; language: string; currency: string;
  cities: readonly { city: string; zip: (n: number) => string }[];
  streets: readonly string[];
  orgStems: readonly string[]; orgSuffixes: readonly string[];
  firstNames: readonly string[]; lastNames: readonly string[];
  phonePrefix: string; web: string;
}

const digits = (n: number, seed: number): string => String(seed % 10 ** n).padStart(n, '0');
const zip = (f: (n: number) => string) => f;

export const LOCALES: Record<'usmf' | 'nlmf' | 'semf', Locale> = {
  usmf: {
    country: 'United States', iso2: 'US', iso3: 'USA', language: 'en-us', currency: 'USD',
    cities: [{ city: 'Seattle', zip: zip((n) => `981${digits(2, n)}`) }, { city: 'Chicago', zip: zip((n) => `606${digits(2, n)}`) },
      { city: 'Boston', zip: zip((n) => `021${digits(2, n)}`) }, { city: "Coeur d'Alene", zip: zip(() => '83814') }],
    streets: ['Main Street', 'Pine Avenue', "O'Farrell Street", 'Lakeview Drive', 'Market Street'],
    orgStems: ["O'Neill", 'Fabrikam', 'Northwind', 'Litware', 'Proseware', 'Adventure Works', 'Tailspin', "Macy's Corner", 'Blue Yonder'],
    orgSuffixes: ['Supplies', 'Inc.', 'LLC', 'Trading Co.', 'Wholesale', 'Outfitters'],
    firstNames: ['Aaron', 'Beth', 'Chloé', 'Diego', 'Erin', 'Frank', 'Grace', 'José'],
    lastNames: ["O'Connor", 'Smith', 'Johnson', 'García', 'Nguyen', "D'Angelo", 'Miller'],
    phonePrefix: '+1 206 555 ', web: 'https://www.{slug}.example.com',
  },
  nlmf: {
    country: 'Netherlands', iso2: 'NL', iso3: 'NLD', language: 'nl', currency: 'EUR',
    cities: [{ city: 'Amsterdam', zip: zip((n) => `10${digits(2, n)} AB`) }, { city: 'Utrecht', zip: zip((n) => `35${digits(2, n)} CD`) },
      { city: "'s-Hertogenbosch", zip: zip((n) => `52${digits(2, n)} EF`) }, { city: 'Den Haag', zip: zip((n) => `25${digits(2, n)} GH`) }],
    streets: ['Keizersgracht', 'Oudegracht', 'Stationsplein', "'t Zand", 'Coöperatiestraat'],
    orgStems: ["Bakkerij 't Hoekje", 'Van der Berg', "Café 't Zonnetje", 'De Vries', 'Brouwerij Één', 'Hoogeveen', 'Zuivelhoeve'],
    orgSuffixes: ['B.V.', 'Handelsonderneming', 'en Zonen', 'V.O.F.', 'Groothandel'],
    firstNames: ['Sanne', 'Daan', 'Anouk', 'Joëlle', 'Thijs', 'Noë', 'Fleur'],
    lastNames: ['de Vries', 'van den Berg', "in 't Veld", 'Bakker', 'Jansen', 'Visser', 'Brouwer'],
    phonePrefix: '+31 20 555 ', web: 'https://www.{slug}.example.nl',
  },
  semf: {
    country: 'Sweden', iso2: 'SE', iso3: 'SWE', language: 'sv', currency: 'SEK',
    cities: [{ city: 'Stockholm', zip: zip((n) => `111 ${digits(2, n)}`) }, { city: 'Göteborg', zip: zip((n) => `411 ${digits(2, n)}`) },
      { city: 'Malmö', zip: zip((n) => `211 ${digits(2, n)}`) }, { city: 'Umeå', zip: zip((n) => `903 ${digits(2, n)}`) }],
    streets: ['Drottninggatan', 'Kungsgatan', 'Storgatan', 'Sveavägen', 'Östra Hamngatan'],
    orgStems: ['Åkesson & Söner', 'Öberg Bygg', 'Ängelholms Trä', 'Björklund', 'Nordström', 'Fjällräven Handel', 'Lindqvist'],
    orgSuffixes: ['AB', 'Handelsbolag', 'Aktiebolag', 'AB (publ)'],
    firstNames: ['Lars', 'Åsa', 'Björn', 'Märta', 'Örjan', 'Ingrid', 'Göran'],
    lastNames: ['Öberg', 'Åkesson', 'Lindström', 'Söderberg', 'Ek', 'Nyström', 'Hägg'],
    phonePrefix: '+46 8 555 ', web: 'https://www.{slug}.example.se',
  },
};

const slugs = new Map<string, string>();

/** ASCII slug for e-mail and web addresses; memoised because 100,000-customer runs repeat the same names. */
export function slug(name: string): string {
  let out = slugs.get(name);
  if (out === undefined) { out = toSlug(name); slugs.set(name, out); }
  return out;
}

function toSlug(name: string): string {
  return name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'customer';
}
