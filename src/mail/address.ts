/** A mailbox as written in config ("Gatehouse <no-reply@example.com>") split into its parts. */
export interface Mailbox {
  name: string;
  address: string;
}

export function parseMailbox(value: string): Mailbox {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (match) return { name: unquote(match[1]!), address: match[2]! };
  return { name: '', address: value.trim() };
}

function unquote(name: string): string {
  return name.startsWith('"') && name.endsWith('"') && name.length >= 2 ? name.slice(1, -1).replace(/\\(.)/g, '$1') : name;
}

/** The domain of an address, for Message-IDs. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || 'localhost';
}
