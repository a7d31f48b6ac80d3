/**
 * Merkle–Damgård padding shared by SHA-1 and SHA-256 (FIPS 180-4 §5.1.1): the message's
 * tail after `absorbed` bytes, a 0x80 byte, zeros, and the total length in bits as a
 * big-endian 64-bit number, filling whole 64-byte blocks.
 */
export function padTail(absorbed: number, data: Uint8Array): { view: DataView; blocks: number } {
  const blocks = Math.ceil((data.length + 9) / 64);
  const padded = new Uint8Array(blocks * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = (absorbed + data.length) * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);
  return { view, blocks };
}
