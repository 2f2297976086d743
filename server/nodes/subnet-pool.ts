/**
 * Session networks get their subnets from a pool of our own. Docker's default
 * pools hold about thirty bridge networks, fewer than a class needs; a /16 split
 * into /24s holds 256 sessions of at most five nodes.
 */
export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  if (!match) throw new Error(`${text} is not an IPv4 CIDR like 10.201.0.0/16`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`${text} is not an IPv4 CIDR like 10.201.0.0/16`);
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

export function formatCidr({ base, prefix }: Cidr): string {
  return `${[24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256).join('.')}/${prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const aEnd = a.base + 2 ** (32 - a.prefix);
  const bEnd = b.base + 2 ** (32 - b.prefix);
  return a.base < bEnd && b.base < aEnd;
}

/** The first subnet of the given size in the pool that overlaps none of `used`, or undefined when the pool is full. */
export function freeSubnet(pool: string, prefix: number, used: Iterable<string>): string | undefined {
  const range = parseCidr(pool);
  if (prefix < range.prefix) throw new Error(`a /${prefix} does not fit in ${pool}`);
  const taken = [...used].flatMap((cidr) => {
    try {
      return [parseCidr(cidr)];
    } catch {
      return []; // IPv6 and other shapes never overlap an IPv4 pool
    }
  });
  const size = 2 ** (32 - prefix);
  const count = 2 ** (prefix - range.prefix);
  for (let i = 0; i < count; i++) {
    const candidate = { base: range.base + i * size, prefix };
    if (!taken.some((t) => overlaps(candidate, t))) return formatCidr(candidate);
  }
  return undefined;
}
