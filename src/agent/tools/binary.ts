// Binary content is useless to a model and can be huge: detect it from the first bytes.

/** How many leading bytes are enough to tell text from binary. */
export const BINARY_SNIFF_BYTES = 8192;

/** true for a NUL byte, or when more than a tenth of the bytes are control characters. */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    // tab, newline, vertical tab, form feed, carriage return, backspace and escape occur in text
    if (byte < 0x20 && byte !== 9 && byte !== 10 && byte !== 11 && byte !== 12 && byte !== 13 && byte !== 8 && byte !== 27) control++;
  }
  return control / sample.length > 0.1;
}
