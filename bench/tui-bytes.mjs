// Reading what the TUI wrote to its terminal: screen clears, where the bytes go (frame by
// frame), and whether the terminal's own scrollback holds the answer line for line.

import { lineLabel } from './tui-server.mjs';

const CLEARS = ['\x1b[2J', '\x1b[3J'];
const SYNC_START = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';
/** How Ink (log-update) erases the live region before drawing it again. */
const ERASE_RUN = /(?:\x1b\[2K(?:\x1b\[1A)?)+(?:\x1b\[G)?/g;
const ESCAPE = /\x1b(?:\[[0-9;?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/** ESC[2J (clear screen) and ESC[3J (clear scrollback) in `bytes`. */
export function countClears(bytes) {
  const text = bytes.toString('latin1');
  return CLEARS.reduce((sum, clear) => sum + text.split(clear).length - 1, 0);
}

/**
 * Where the bytes of an answer went. A frame is one redraw of the live region: it starts with a
 * synchronized-update mark when the renderer sends them, else with the run of erase-line and
 * cursor-up sequences that wipes the previous frame. Each frame's rows are sorted into answer
 * rows (they carry a line label) and chrome (the prompt, the status line, the spinner).
 */
export function describeBytes(bytes, answerLines, answerBytes) {
  const text = bytes.toString('latin1');
  const synchronized = text.split(SYNC_START).length - 1;
  // with marks: whatever precedes the first one is no frame of its own, but its bytes count
  const pieces = synchronized > 0 ? text.split(SYNC_START).map((piece, i) => (i === 0 ? piece : SYNC_START + piece)) : splitAtEraseRuns(text);
  const n = synchronized > 0 ? synchronized : pieces.length;
  let control = 0;
  let answerRows = 0;
  let chromeRows = 0;
  let erasedRows = 0;
  for (const frame of pieces) {
    let body = frame.split(SYNC_START).join('').split(SYNC_END).join('');
    control += frame.length - body.length;
    body = body.replace(ERASE_RUN, (run) => {
      control += run.length;
      erasedRows += run.split('\x1b[2K').length - 1;
      return '';
    });
    const lines = body.split('\n');
    lines.forEach((line, i) => {
      // the carriage return before a newline is control; the row and its newline are content
      const row = line.replace(/\r$/, '');
      const newline = i < lines.length - 1 ? 1 : 0;
      control += line.length - row.length;
      if (/L\d{5}/.test(row)) answerRows += row.length + newline;
      else if (row !== '') chromeRows += row.length + newline;
      else control += newline;
    });
  }
  const escapes = (text.match(ESCAPE) ?? []).reduce((sum, e) => sum + e.length, 0);
  return {
    frames: n,
    synchronized,
    erasedRows,
    escapeBytes: escapes,
    bytesPerFrame: n > 0 ? bytes.length / n : NaN,
    bytesPerLine: bytes.length / answerLines,
    // per frame: erasing and marks; answer rows (new text and the unfinished line drawn again);
    // the prompt, status line and spinner drawn again
    controlPerFrame: n > 0 ? control / n : NaN,
    answerRowsPerFrame: n > 0 ? answerRows / n : NaN,
    chromePerFrame: n > 0 ? chromeRows / n : NaN,
    /** Answer text sent more than once (the unfinished line redrawn), as a share of the answer. */
    answerRedrawn: answerBytes > 0 ? Math.max(0, answerRows - answerBytes) / answerBytes : NaN,
  };
}

function splitAtEraseRuns(text) {
  const starts = [];
  for (const match of text.matchAll(ERASE_RUN)) starts.push(match.index);
  if (starts.length === 0) return text === '' ? [] : [text];
  const frames = [];
  if (starts[0] > 0) frames.push(text.slice(0, starts[0]));
  for (let i = 0; i < starts.length; i++) frames.push(text.slice(starts[i], starts[i + 1] ?? text.length));
  return frames;
}

/**
 * Every line of the answer must be in the terminal's own scrollback exactly once and intact.
 * Rows are matched by their line label wherever the row starts (the TUI may indent).
 */
export function checkScrollback(captured, expected) {
  const seen = new Map();
  let garbled = 0;
  let firstGarbled;
  for (const row of captured.split('\n')) {
    const match = /L(\d{5})\b.*$/.exec(row);
    if (!match) continue;
    const number = Number(match[1]);
    const text = match[0].trimEnd();
    if (number < 1 || number > expected.length || expected[number - 1] !== text) {
      garbled++;
      firstGarbled ??= JSON.stringify(row.slice(0, 100));
      continue;
    }
    seen.set(number, (seen.get(number) ?? 0) + 1);
  }
  let missing = 0;
  let doubled = 0;
  let firstMissing;
  for (let n = 1; n <= expected.length; n++) {
    const times = seen.get(n) ?? 0;
    if (times === 0) {
      missing++;
      firstMissing ??= n;
    } else if (times > 1) doubled++;
  }
  const ok = missing === 0 && doubled === 0 && garbled === 0;
  const parts = [];
  if (missing) parts.push(`${missing} of ${expected.length} lines missing (first: ${lineLabel(firstMissing)})`);
  if (doubled) parts.push(`${doubled} lines shown more than once`);
  if (garbled) parts.push(`${garbled} garbled rows (first: ${firstGarbled})`);
  return { ok, missing, doubled, garbled, lines: expected.length, summary: ok ? `all ${expected.length} lines once` : parts.join('; ') };
}
