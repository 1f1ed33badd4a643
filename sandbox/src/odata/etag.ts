// Weak ETags as F&O writes them: W/"<base64 of 'RecVersion,RecId'>"; Dataverse uses W/"<version number>".

export function foEtag(recVersion: number, recId: number): string {
  return `W/"${Buffer.from(`'${recVersion},${recId}'`, 'utf8').toString('base64')}"`;
}

export function numericEtag(version: number): string {
  return `W/"${version}"`;
}

/** True when an If-Match header value allows a write to a record whose current ETag is `current`. */
export function ifMatchSatisfied(ifMatch: string | undefined, current: string): boolean {
  if (ifMatch === undefined || ifMatch.trim() === '') return true;
  const wanted = ifMatch.split(',').map((s) => s.trim());
  if (wanted.includes('*')) return true;
  const strip = (t: string): string => t.replace(/^W\//, '');
  return wanted.some((w) => strip(w) === strip(current));
}
