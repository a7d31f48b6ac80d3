/**
 * The development mailbox: mail the dev transport "sends" is kept in KV for a day so a
 * person or a test can read codes and links (GET /dev/mailbox). Development only.
 */
export interface DevMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
  /** ISO 8601. */
  created_at: string;
}

const PREFIX = 'devmail:';
const TTL_SECONDS = 24 * 3600;
/** Newest messages returned per address; older ones simply expire. */
export const MAILBOX_LIMIT = 50;

// Breaks ties between messages stored in the same millisecond (a frozen test clock).
let sequence = 0;

/** An address is at most 254 bytes; anything longer is no mailbox (and would pass KV's 512-byte key limit). */
const MAX_ADDRESS_BYTES = 254;

export function mailboxAddress(to: string): string {
  const address = to.trim().toLowerCase();
  return new TextEncoder().encode(address).byteLength <= MAX_ADDRESS_BYTES ? address : '';
}

export async function saveDevMail(kv: KVNamespace, mail: DevMail, now: number): Promise<void> {
  const key = `${prefixFor(mail.to)}${newestFirstKey(now)}:${crypto.randomUUID()}`;
  await kv.put(key, JSON.stringify(mail), { expirationTtl: TTL_SECONDS });
}

/** Newest first: keys list in ascending order, and they hold a reversed timestamp. */
export async function listDevMail(kv: KVNamespace, to: string): Promise<DevMail[]> {
  const { keys } = await kv.list({ prefix: prefixFor(to), limit: MAILBOX_LIMIT });
  const values = await Promise.all(keys.map((key) => kv.get<DevMail>(key.name, 'json')));
  return values.filter((mail): mail is DevMail => mail !== null);
}

export async function clearDevMail(kv: KVNamespace, to: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await kv.list({ prefix: prefixFor(to), cursor });
    await Promise.all(page.keys.map((key) => kv.delete(key.name)));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
}

function prefixFor(to: string): string {
  return `${PREFIX}${mailboxAddress(to)}:`;
}

function newestFirstKey(now: number): string {
  sequence = (sequence + 1) % 1_000_000;
  const reversedTime = String(9_999_999_999_999 - now).padStart(13, '0');
  const reversedSequence = String(999_999 - sequence).padStart(6, '0');
  return `${reversedTime}${reversedSequence}`;
}
