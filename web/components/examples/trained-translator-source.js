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
  let response;
  try {
    response = await fetch(url);
  } catch (e) {
    // a browser fetches nothing from file://: say what to do rather than "Failed to fetch"
    if (url.protocol === 'file:')
      throw new Error(
        `the trained translator reads its model file (models/${FILE}) with fetch(), which a page opened from file:// cannot do: open the page through a web server (npm start serves the playground)`,
      );
    throw new Error(`the shipped model (${url.pathname}): ${e.message}`);
  }
  if (!response.ok) throw new Error(`the shipped model (${url.pathname}): ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
