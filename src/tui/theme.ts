// Styles as plain SGR strings, so committed lines are finished strings that <Static> prints
// once. One switch turns them all off: NO_COLOR and TERM=dumb get plain text (Ink's chalk does
// not read NO_COLOR, so nothing in the TUI uses Ink's colour props for model-driven output).

export type Paint = (text: string) => string;

export interface Theme {
  readonly color: boolean;
  bold: Paint;
  dim: Paint;
  italic: Paint;
  underline: Paint;
  strike: Paint;
  inverse: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  blue: Paint;
  magenta: Paint;
  cyan: Paint;
  gray: Paint;
}

const sgr = (open: number, close: number): Paint => {
  const start = `\x1b[${open}m`;
  const end = `\x1b[${close}m`;
  return (text) => (text === '' ? '' : start + text + end);
};

const plain: Paint = (text) => text;

export function createTheme(color: boolean): Theme {
  if (!color) {
    return {
      color,
      bold: plain,
      dim: plain,
      italic: plain,
      underline: plain,
      strike: plain,
      inverse: plain,
      red: plain,
      green: plain,
      yellow: plain,
      blue: plain,
      magenta: plain,
      cyan: plain,
      gray: plain,
    };
  }
  return {
    color,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    italic: sgr(3, 23),
    underline: sgr(4, 24),
    strike: sgr(9, 29),
    inverse: sgr(7, 27),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    blue: sgr(34, 39),
    magenta: sgr(35, 39),
    cyan: sgr(36, 39),
    gray: sgr(90, 39),
  };
}

/** NO_COLOR (any non-empty value) and TERM=dumb mean plain text. */
export function colorFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}
