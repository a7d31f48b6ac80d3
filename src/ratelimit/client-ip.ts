/**
 * The part of a client IP that per-IP limits count by. An IPv6 client usually holds a
 * whole /64 and can rotate through it at will, so IPv6 is keyed by its first 64 bits;
 * IPv4 (and IPv4-mapped IPv6, ::ffff:a.b.c.d) by the whole address. Audit rows and
 * sessions keep the address as it came; only limiter keys use this.
 */
export function ipLimitKey(ip: string): string {
  const text = ip.trim().toLowerCase();
  if (isIpv4(text)) return text;
  const groups = ipv6Groups(text);
  // Not an address (e.g. "unknown" when the header is missing): count it as it came.
  if (!groups) return text;
  if (isIpv4Mapped(groups)) return ipv4Of(groups[6]!, groups[7]!);
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The longest RFC 4291 §2.2 text form: six groups of 4 and a dotted IPv4 (45 characters). */
const MAX_IPV6_TEXT = 45;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;

function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/**
 * The eight 16-bit groups of an IPv6 address in any RFC 4291 text form ("::"
 * compression, leading zeros, a trailing dotted IPv4, a "%zone" suffix), or null.
 */
export function ipv6Groups(text: string): number[] | null {
  const address = text.split('%')[0]!;
  if (address.length > MAX_IPV6_TEXT || !address.includes(':')) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1]!, true) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
}

/** Colon-separated groups; the last may be a dotted IPv4 (two groups) when it ends the address. */
function parseGroups(part: string, endsAddress: boolean): number[] | null {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (endsAddress && i === pieces.length - 1 && isIpv4(piece)) {
      const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number];
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (HEX_GROUP.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      return null;
    }
  }
  return groups;
}

/** ::ffff:0:0/96 (RFC 4291 §2.5.5.2): an IPv4 client seen through an IPv6 socket. */
function isIpv4Mapped(groups: number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

function ipv4Of(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}
