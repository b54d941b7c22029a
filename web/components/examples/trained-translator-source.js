// Where the shipped model's bytes come from. In the bundle (dist/), the build copies the file to
// dist/models/, next to the chunk this module becomes: the page finds it offline, on its own origin.
// In Node (the tests, run from a clone), the file is read where model/train.py writes it.
const FILE = 'translator.safetensors';
const isNode =
  typeof process === 'object' && typeof process.versions?.node === 'string' && typeof window === 'undefined';

/** The shipped model file's bytes. */
export async function shippedModelBytes() {
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    // not a literal: bundlers (Vite) resolve literal new URL()s at build time, and this one is for Node only
    const path = ['..', '..', '..', 'model', FILE].join('/');
    return new Uint8Array(await readFile(new URL(path, import.meta.url)));
  }
  const url = new URL('./models/translator.safetensors', import.meta.url);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the shipped model (${url.pathname}): ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
