import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** An id for a session, an event or a learner: 12 base32 characters, short enough for container names, 60 bits of randomness. */
export function newId(): string {
  return [...randomBytes(12)].map((byte) => ALPHABET[byte % 32]).join('');
}

/** A bearer token and the digest that is kept instead of it. */
export function newToken(): { token: string; digest: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, digest: tokenDigest(token) };
}

export function tokenDigest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
