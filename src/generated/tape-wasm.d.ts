// The shape of the module scripts/build-wasm.mjs writes next to this file (npm run build): declared
// here so that a type check of a fresh clone passes before the kernels are built.
/** The kernel's WebAssembly binary (from assembly/tape.ts), base64. */
export declare const base64: string;
