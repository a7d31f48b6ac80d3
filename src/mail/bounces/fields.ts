/**
 * Delivery-status (RFC 3464 §2.1) and feedback-report (RFC 5965 §3) bodies are groups of
 * header-style fields separated by blank lines; long values are folded onto lines that
 * start with white space. Names are case-insensitive, and a field may repeat.
 */
export type FieldGroup = Map<string, string[]>;

/** Reports are small; anything longer is cut rather than parsed without end. */
const MAX_TEXT = 64 * 1024;
const MAX_GROUPS = 50;

export function parseFieldGroups(text: string): FieldGroup[] {
  const groups: FieldGroup[] = [];
  for (const block of text.slice(0, MAX_TEXT).replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const group = parseGroup(block);
    if (group.size > 0) groups.push(group);
    if (groups.length >= MAX_GROUPS) break;
  }
  return groups;
}

function parseGroup(block: string): FieldGroup {
  const group: FieldGroup = new Map();
  // Unfold: a line starting with white space continues the previous one.
  for (const line of block.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[a-z0-9-]+$/.test(name)) continue;
    const values = group.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    group.set(name, values);
  }
  return group;
}

export function field(group: FieldGroup, name: string): string | undefined {
  return group.get(name)?.[0];
}

/**
 * The address of a typed address field ("rfc822; ada@example.com", RFC 3464 §2.3.2;
 * "utf-8;" in RFC 6533), normalized, or null when it is not one plain address.
 */
export function typedAddress(value: string | undefined): string | null {
  if (!value) return null;
  const semicolon = value.indexOf(';');
  const type = semicolon < 0 ? 'rfc822' : value.slice(0, semicolon).trim().toLowerCase();
  if (type !== 'rfc822' && type !== 'utf-8') return null;
  return plainAddress(value.slice(semicolon + 1));
}

/** RFC 5321 §4.5.3.1.3: a path holds at most 256 octets, so an address at most 254. */
export const MAX_ADDRESS_LENGTH = 254;

/** Characters no bare address in a report may hold (white space, brackets, quotes, separators). */
const FORBIDDEN = new Set([...'@<>",;:()[]\\']);

/**
 * "<Ada@Example.com>" -> "ada@example.com"; null unless exactly one bare address: one
 * "@", a non-empty local part, and a domain with a dot that has something on both sides.
 * Report fields are attacker-written, so this is one pass over at most 254 characters
 * (the length is refused first) and uses no pattern that could backtrack.
 */
export function plainAddress(value: string): string | null {
  let address = value.trim();
  if (address.startsWith('<') && address.endsWith('>')) address = address.slice(1, -1).trim();
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) return null;
  const at = address.indexOf('@');
  if (at <= 0 || at !== address.lastIndexOf('@')) return null;
  for (const ch of address) if (ch !== '@' && (FORBIDDEN.has(ch) || /\s/.test(ch))) return null;
  const domain = address.slice(at + 1);
  const dot = domain.indexOf('.', 1);
  if (dot < 0 || dot === domain.length - 1) return null;
  return address.toLowerCase();
}
