// Dataverse solution versions have four numeric parts (major.minor.build.revision); npm has three
// plus optional pre-release text, which the platform would reject.
export function toSolutionVersion(packageVersion: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)(?:\.(\d+))?$/.exec(packageVersion.trim());
  if (!match) {
    throw new Error(`Version "${packageVersion}" in package.json cannot become a Dataverse solution version: ` +
      'use plain numbers such as 1.2.3 (no pre-release or build suffix).');
  }
  return [match[1], match[2], match[3], match[4] ?? '0'].map((n) => String(Number(n))).join('.');
}
