// Piped stdin is capped before it becomes a prompt; the cut must not leave a broken
// character (a U+FFFD the user never typed) at the end.

export interface CappedText {
  text: string;
  /** true when bytes past the cap were dropped */
  truncated: boolean;
}

/** Decodes at most maxBytes bytes of UTF-8, cutting on a character boundary. */
export function capUtf8(data: Buffer, maxBytes: number): CappedText {
  const limit = Math.max(0, Math.floor(maxBytes));
  if (data.length <= limit) return { text: data.toString('utf8'), truncated: false };
  // A UTF-8 character is at most 4 bytes, so its lead byte is at most 3 bytes before the cut.
  // If none is found there the input is not valid UTF-8 and the plain cut is as good as any.
  let cut = limit;
  for (let k = limit; k >= 0 && k >= limit - 3; k--) {
    const b = data[k];
    if (b === undefined || (b & 0xc0) !== 0x80) {
      cut = k;
      break;
    }
  }
  return { text: data.toString('utf8', 0, cut), truncated: true };
}
