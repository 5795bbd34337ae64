// grammY (through its Node shim) takes AbortController from the `abort-controller` polyfill and
// hands its signals to node-fetch, which accepts a signal only if its class is named
// "AbortSignal". Bundled, the polyfill's class is renamed (AbortSignal2) and every Bot API call
// fails. Node 20 has the real thing: use it.
module.exports = { AbortController: globalThis.AbortController, AbortSignal: globalThis.AbortSignal };
module.exports.default = globalThis.AbortController;
