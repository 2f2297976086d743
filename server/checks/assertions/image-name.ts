/**
 * Image references compared the way a learner means them: `web:1`, `docker.io/library/web:1` and
 * `web:1@sha256:…` (the digest the CLI pins on create) are the same image.
 */
export function normalizeImage(reference: string): string {
  let name = reference.split('@')[0];
  name = name.replace(/^docker\.io\//, '').replace(/^library\//, '');
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  return lastSegment.includes(':') ? name : `${name}:latest`;
}
