import { domainOf, parseMailbox } from './address';

export interface MimeInput {
  /** A mailbox, display name allowed: "Gatehouse <no-reply@example.com>". */
  from: string;
  /** One bare address. */
  to: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
}

export interface MimeMessage {
  raw: string;
  messageId: string;
}

const CRLF = '\r\n';
const MAX_LINE = 76;

/**
 * An RFC 5322 multipart/alternative message: text first, HTML last (the part clients
 * prefer). Bodies are quoted-printable, readable in a raw dump and never over 76 columns.
 */
export function buildMime(input: MimeInput): MimeMessage {
  const from = parseMailbox(input.from);
  const messageId = `<${crypto.randomUUID()}@${domainOf(from.address)}>`;
  // "=_" cannot occur in quoted-printable output, so the boundary never collides with a body.
  const boundary = `=_gatehouse_${crypto.randomUUID().replaceAll('-', '')}`;
  const headers = [
    `From: ${formatMailbox(from.name, from.address)}`,
    `To: ${singleLine(input.to)}`,
    `Subject: ${encodeHeaderText(input.subject)}`,
    `Date: ${formatDate(input.date)}`,
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    // RFC 3834: tells autoresponders not to answer a machine.
    'Auto-Submitted: auto-generated',
    `Content-Type: multipart/alternative;${CRLF} boundary="${boundary}"`,
  ];
  const parts = [textPart('text/plain', input.text), textPart('text/html', input.html)];
  const body = parts.map((part) => `--${boundary}${CRLF}${part}${CRLF}`).join('') + `--${boundary}--${CRLF}`;
  return { raw: headers.join(CRLF) + CRLF + CRLF + body, messageId };
}

function textPart(type: string, content: string): string {
  return [
    `Content-Type: ${type}; charset=utf-8`,
    'Content-Transfer-Encoding: quoted-printable',
    '',
    encodeQuotedPrintable(content),
  ].join(CRLF);
}

function formatMailbox(name: string, address: string): string {
  const addr = singleLine(address);
  if (!name) return addr;
  // Folded before the address so encoded names keep header lines under 78 columns.
  if (!isPrintableAscii(name)) return `${encodeHeaderText(name)}${CRLF} <${addr}>`;
  if (/^[\w !#$%&'*+\-/=?^`{|}~]+$/.test(name)) return `${name} <${addr}>`;
  return `"${singleLine(name).replace(/(["\\])/g, '\\$1')}" <${addr}>`;
}

/** RFC 2047 base64 encoded-words when needed; short ASCII stays as it is. */
export function encodeHeaderText(value: string): string {
  const text = singleLine(value);
  if (isPrintableAscii(text) && text.length <= 60) return text;
  return chunkByBytes(text, 39)
    .map((chunk) => `=?UTF-8?B?${base64(new TextEncoder().encode(chunk))}?=`)
    .join(`${CRLF} `);
}

/** Splits on code points so no encoded-word ends inside a UTF-8 sequence. */
function chunkByBytes(text: string, maxBytes: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const ch of text) {
    if (utf8Length(current + ch) > maxBytes) {
      chunks.push(current);
      current = '';
    }
    current += ch;
  }
  if (current || chunks.length === 0) chunks.push(current);
  return chunks;
}

/** RFC 2045 quoted-printable over UTF-8, CRLF line breaks, soft breaks before column 76. */
export function encodeQuotedPrintable(text: string): string {
  const lines = text.replace(/\r\n|\r|\n/g, '\n').split('\n');
  return lines.map(encodeQpLine).join(CRLF);
}

function encodeQpLine(line: string): string {
  const bytes = new TextEncoder().encode(line);
  const out: string[] = [];
  let current = '';
  bytes.forEach((byte, i) => {
    const token = qpToken(byte, i === bytes.length - 1);
    // Keep room for the "=" of a soft line break.
    if (current.length + token.length > MAX_LINE - 1) {
      out.push(`${current}=`);
      current = '';
    }
    current += token;
  });
  out.push(current);
  return out.join(CRLF);
}

function qpToken(byte: number, lastInLine: boolean): string {
  const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !lastInLine);
  return literal ? String.fromCharCode(byte) : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** "Tue, 01 Sep 2026 12:00:00 +0000" (RFC 5322 date-time). */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Header values must not smuggle in a line break (header injection). */
function singleLine(value: string): string {
  return value.replace(/[\r\n]+/g, ' ');
}

function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e]*$/.test(value);
}

function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
