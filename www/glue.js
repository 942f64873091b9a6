// The front of the glue bundle: the build bundles it with wasm-bindgen's glue and transport.js
// into pkg/bangtin.<hash>.js. It is wasm-bindgen's init, except that when the page's
// Content-Security-Policy forbids compiling WebAssembly, the loader's one console message says
// what to add (the browser's own message names 'unsafe-eval', which is not what to allow).
import init from './bangtin.renamed.js';

export * from './bangtin.renamed.js';

export default (options) => init(options).catch((e) => {
  throw e instanceof WebAssembly.CompileError && /eval/.test(e.message)
    ? Error("the page's Content-Security-Policy must allow 'wasm-unsafe-eval' in script-src")
    : e;
});
