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

/**
 * A control's manifest version has three parts, and the platform serves a control's new bundle only when
 * this version rose. It is the package version (npm versions have three parts), so raising the package
 * version for a release raises every control's version with it.
 */
export function toControlVersion(packageVersion: string): string {
  return toSolutionVersion(packageVersion).split('.').slice(0, 3).join('.');
}
