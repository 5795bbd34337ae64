// Turns terminal input (what Ink's input parser emits: runs of text and whole escape
// sequences) into editor keys. We decode ourselves rather than use Ink's useInput because
// useInput cannot tell Ctrl+J (\n, new line) from Enter (\r), does not decode Shift+Enter
// (CSI u), and would deliver the contents of a bracketed paste as keypresses.
//
// Byte reference: Enter \r · Ctrl+J \n · Alt+Enter ESC \r · Shift+Enter CSI 13;2 u (kitty /
// "CSI u" terminals) or CSI 27;2;13 ~ (xterm modifyOtherKeys) · Backspace DEL or ^H ·
// Ctrl+letter 0x01–0x1a · Esc a lone ESC (Ink waits a moment before emitting it).

export type EditorKey =
  | { kind: 'text'; text: string }
  /** Several lines arriving in one read without bracketed paste: inserted, never submitted. */
  | { kind: 'paste'; text: string }
  | {
      kind:
        | 'enter'
        | 'newline'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'home'
        | 'end'
        | 'pageUp'
        | 'pageDown'
        | 'wordLeft'
        | 'wordRight'
        | 'deleteWordBack'
        | 'tab'
        | 'escape';
    }
  /** Ctrl+letter, lower case: 'a' for Ctrl+A. */
  | { kind: 'ctrl'; name: string };

const ESC = '\x1b';

// Modifier bits in CSI parameters are sent as 1 + bitmask.
const SHIFT = 1;
const ALT = 2;
const CTRL = 4;

const CSI_FINAL: Record<string, EditorKey['kind']> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
};

const TILDE: Record<string, EditorKey['kind']> = {
  '1': 'home',
  '7': 'home',
  '4': 'end',
  '8': 'end',
  '3': 'delete',
  '5': 'pageUp',
  '6': 'pageDown',
};

export function decodeKeys(data: string): EditorKey[] {
  const pasted = unbracketedPaste(data);
  if (pasted !== undefined) return [{ kind: 'paste', text: pasted }];
  const keys: EditorKey[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === ESC) {
      const { key, length } = decodeEscape(data, i);
      if (key) keys.push(key);
      i += length;
      continue;
    }
    const code = data.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) {
      const key = decodeControl(code);
      if (key) keys.push(key);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < data.length && !isControl(data.charCodeAt(j))) j++;
    pushText(keys, data.slice(i, j));
    i = j;
  }
  return keys;
}

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0);
}

function pushText(keys: EditorKey[], text: string): void {
  const last = keys[keys.length - 1];
  if (last?.kind === 'text') last.text += text;
  else keys.push({ kind: 'text', text });
}

/** A read holding line breaks between text is a paste from a terminal without bracketed
 *  paste; treating it as typed would send the first line and keep the rest. One trailing \r
 *  alone is still Enter (fast typing, or tools that write "text\r"). */
function unbracketedPaste(data: string): string | undefined {
  if (data.length < 2 || data.includes(ESC)) return undefined;
  const breaks = data.match(/\r\n|\r|\n/g)?.length ?? 0;
  if (breaks === 0) return undefined;
  if (breaks === 1 && /[^\r\n]\r$/.test(data)) return undefined;
  if (!/[^\s]/.test(data)) return undefined;
  return data;
}

function decodeControl(code: number): EditorKey | undefined {
  switch (code) {
    case 0x0d:
      return { kind: 'enter' };
    case 0x0a:
      return { kind: 'newline' };
    case 0x09:
      return { kind: 'tab' };
    case 0x08:
    case 0x7f:
      return { kind: 'backspace' };
    case 0x17:
      return { kind: 'deleteWordBack' };
    default:
      if (code >= 0x01 && code <= 0x1a) return { kind: 'ctrl', name: String.fromCharCode(code + 0x60) };
      return undefined; // NUL, ^\ ^] ^^ ^_ and C1: nothing to do, never echoed
  }
}

function decodeEscape(data: string, start: number): { key: EditorKey | undefined; length: number } {
  const next = data[start + 1];
  if (next === undefined) return { key: { kind: 'escape' }, length: 1 };
  if (next === '[') return decodeCsi(data, start);
  if (next === 'O') {
    // SS3: ESC O letter (application cursor keys, some Home/End)
    const final = data[start + 2];
    const kind = final === undefined ? undefined : CSI_FINAL[final];
    return { key: kind ? ({ kind } as EditorKey) : undefined, length: final === undefined ? 2 : 3 };
  }
  // Alt+key arrives as ESC + key.
  switch (next) {
    case '\r':
    case '\n':
      return { key: { kind: 'newline' }, length: 2 };
    case '\x7f':
    case '\x08':
      return { key: { kind: 'deleteWordBack' }, length: 2 };
    case 'b':
      return { key: { kind: 'wordLeft' }, length: 2 };
    case 'f':
      return { key: { kind: 'wordRight' }, length: 2 };
    case ESC:
      // ESC ESC: double Esc, or Alt + an escape sequence (Ink keeps those together)
      if (data[start + 2] === '[' || data[start + 2] === 'O') {
        const inner = decodeEscape(data, start + 1);
        return { key: inner.key, length: inner.length + 1 };
      }
      return { key: { kind: 'escape' }, length: 2 };
    default: {
      // Any other Alt+key is unbound: swallow the whole code point, never echo the ESC.
      const code = data.codePointAt(start + 1) ?? 0;
      return { key: undefined, length: 1 + (code > 0xffff ? 2 : 1) };
    }
  }
}

function decodeCsi(data: string, start: number): { key: EditorKey | undefined; length: number } {
  // ESC [ parameters intermediates final; Ink also passes the legacy ESC [ [ A form.
  const match = /^\x1b\[\[?([0-9:;<=>?]*)([ -/]*)([@-~])/.exec(data.slice(start, start + 64));
  if (!match) return { key: undefined, length: 2 };
  const length = match[0].length;
  const params = (match[1] ?? '').split(';');
  const final = match[3] ?? '';
  const number = (index: number): number => Number.parseInt((params[index] ?? '').split(':')[0] ?? '', 10);
  const modifiers = Number.isNaN(number(1)) ? 0 : number(1) - 1;

  if (final === 'u') return { key: decodeCsiU(number(0), modifiers, params[1], params[2]), length };
  if (final === '~') {
    // xterm modifyOtherKeys: CSI 27 ; modifiers ; code ~
    if (number(0) === 27) return { key: decodeCsiU(number(2), modifiers, undefined, undefined), length };
    const kind = TILDE[params[0] ?? ''];
    if (kind === 'delete' && modifiers & (CTRL | ALT)) return { key: undefined, length };
    return { key: kind ? ({ kind } as EditorKey) : undefined, length };
  }
  const kind = CSI_FINAL[final];
  if (kind === undefined) return { key: undefined, length }; // F-keys, focus, mouse, reports
  if ((kind === 'left' || kind === 'right') && modifiers & (CTRL | ALT)) {
    return { key: { kind: kind === 'left' ? 'wordLeft' : 'wordRight' }, length };
  }
  return { key: { kind } as EditorKey, length };
}

/** Kitty keyboard protocol / "CSI u": CSI code[:alternates] ; modifiers[:event] ; text u */
function decodeCsiU(
  code: number,
  modifiers: number,
  modifierField: string | undefined,
  textField: string | undefined,
): EditorKey | undefined {
  if (Number.isNaN(code)) return undefined;
  const event = modifierField?.split(':')[1];
  if (event === '3') return undefined; // key release
  const ctrl = (modifiers & CTRL) !== 0;
  const alt = (modifiers & ALT) !== 0;
  const shift = (modifiers & SHIFT) !== 0;
  switch (code) {
    case 13:
      return shift || alt || ctrl ? { kind: 'newline' } : { kind: 'enter' };
    case 9:
      return shift ? undefined : { kind: 'tab' };
    case 27:
      return { kind: 'escape' };
    case 127:
    case 8:
      return alt || ctrl ? { kind: 'deleteWordBack' } : { kind: 'backspace' };
    default:
      break;
  }
  if (ctrl && !alt && code >= 0x61 && code <= 0x7a) {
    const name = String.fromCharCode(code);
    return name === 'w' ? { kind: 'deleteWordBack' } : name === 'j' ? { kind: 'newline' } : { kind: 'ctrl', name };
  }
  if (ctrl || alt) return undefined;
  if (textField) {
    const text = String.fromCodePoint(...textField.split(':').map((part) => Number.parseInt(part, 10)).filter(isPrintable));
    return text ? { kind: 'text', text } : undefined;
  }
  if (!isPrintable(code)) return undefined;
  const text = String.fromCodePoint(code);
  return { kind: 'text', text: shift ? text.toUpperCase() : text };
}

function isPrintable(code: number): boolean {
  return Number.isInteger(code) && code >= 0x20 && code <= 0x10ffff && code !== 0x7f && !(code >= 0x80 && code < 0xa0) && !(code >= 0xd800 && code <= 0xdfff) && !(code >= 0xe000 && code <= 0xf8ff);
}
