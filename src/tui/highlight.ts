// Code highlighting through cli-highlight, loaded on the first code block and not before:
// highlight.js with all its languages costs about 100 ms to import, which would otherwise land
// on the start-up path. The theme is ours (plain SGR), so the result does not depend on what
// cli-highlight's own chalk thinks of the terminal.

import type { CodeHighlighter } from './markdown.js';
import type { Theme } from './theme.js';

/** The two functions used from cli-highlight. */
export interface HighlightModule {
  highlight(code: string, options: { language: string; ignoreIllegals: boolean; theme: Record<string, (s: string) => string> }): string;
  supportsLanguage(name: string): boolean;
}

async function loadCliHighlight(): Promise<HighlightModule> {
  // CommonJS: named exports, or the same functions on default, depending on the loader.
  const m = (await import('cli-highlight')) as unknown as Partial<HighlightModule> & { default?: HighlightModule };
  if (typeof m.highlight === 'function' && typeof m.supportsLanguage === 'function') return m as HighlightModule;
  if (m.default) return m.default;
  throw new Error('cli-highlight did not load');
}

export interface LazyHighlighterOptions {
  theme: Theme;
  /** Called once loading has finished (or failed), so held code can be committed. */
  onReady?: () => void;
  /** Tests may hand in the module loader. */
  load?: () => Promise<HighlightModule>;
}

export function createLazyHighlighter(options: LazyHighlighterOptions): CodeHighlighter & { loaded: Promise<void> | undefined } {
  const t = options.theme;
  let state: 'idle' | 'loading' | 'ready' | 'off' = t.color ? 'idle' : 'off';
  let mod: HighlightModule | undefined;
  let loaded: Promise<void> | undefined;
  const known = new Map<string, boolean>();
  const codeTheme = {
    keyword: t.magenta,
    built_in: t.cyan,
    type: t.cyan,
    literal: t.blue,
    number: t.yellow,
    regexp: t.red,
    string: t.green,
    subst: (s: string) => s,
    symbol: t.yellow,
    class: t.yellow,
    function: t.blue,
    title: t.blue,
    params: (s: string) => s,
    comment: t.gray,
    doctag: t.gray,
    meta: t.gray,
    'meta-keyword': t.magenta,
    'meta-string': t.green,
    section: t.bold,
    tag: t.magenta,
    name: t.magenta,
    'builtin-name': t.cyan,
    attr: t.yellow,
    attribute: t.yellow,
    variable: (s: string) => s,
    bullet: t.cyan,
    code: t.cyan,
    emphasis: t.italic,
    strong: t.bold,
    formula: (s: string) => s,
    link: t.underline,
    quote: t.gray,
    'selector-tag': t.magenta,
    'selector-id': t.blue,
    'selector-class': t.yellow,
    'selector-attr': t.yellow,
    'selector-pseudo': t.yellow,
    'template-tag': t.magenta,
    'template-variable': t.yellow,
    addition: t.green,
    deletion: t.red,
    default: (s: string) => s,
  };

  const api = {
    get loaded() {
      return loaded;
    },
    state(): 'ready' | 'loading' | 'off' {
      if (state === 'idle') return 'ready'; // nothing asked yet: nothing waits
      return state;
    },
    request(): void {
      if (state !== 'idle') return;
      state = 'loading';
      const load = options.load ?? loadCliHighlight;
      loaded = load().then(
        (m) => {
          mod = m;
          state = 'ready';
          options.onReady?.();
        },
        () => {
          state = 'off';
          options.onReady?.();
        },
      );
    },
    highlight(code: string, language: string): string {
      if (mod === undefined || code.trim() === '') return code;
      const lang = language.toLowerCase();
      let supported = known.get(lang);
      if (supported === undefined) {
        supported = mod.supportsLanguage(lang);
        known.set(lang, supported);
      }
      if (!supported) return code;
      try {
        return mod.highlight(code, { language: lang, ignoreIllegals: true, theme: codeTheme });
      } catch {
        return code;
      }
    },
  };
  return api;
}
