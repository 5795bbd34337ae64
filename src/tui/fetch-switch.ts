// Yoga (Ink's layout engine) loads its WebAssembly from a data: URL with fetch whenever fetch
// exists, and the first use of fetch in Node loads undici: about 30 ms of start-up for bytes
// that are already in memory. Without fetch, Yoga decodes them directly. So fetch is hidden
// while the TUI's modules load, and put back before anything can need it.

let saved: PropertyDescriptor | undefined;

export function hideFetch(): void {
  if (saved !== undefined) return;
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!descriptor?.configurable) return;
  saved = descriptor;
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
}

export function restoreFetch(): void {
  if (saved === undefined) return;
  Object.defineProperty(globalThis, 'fetch', saved);
  saved = undefined;
}
