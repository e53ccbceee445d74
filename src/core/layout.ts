/**
 * Where the package's files are, seen from the running code, which is one of three builds of the
 * same modules: the TypeScript sources under tsx (src/), tsc's output (dist/), or the CLI bundle
 * (dist/bundle/, esbuild chunks: see docs/architecture.md#build). A module inside a bundle chunk
 * cannot name its siblings by `new URL('./x', import.meta.url)`, so entry points that run on their
 * own (worker threads, child processes, a module loaded only on error) and the package's data
 * files are found from here.
 *
 * This module sits one folder below src/, and the bundle's chunks one folder below dist/: in all
 * three builds `..` from here is the module root (src/ or dist/) and `../..` the package root.
 */
import { fileURLToPath } from 'node:url';

const here = import.meta.url;
const moduleRoot = new URL('../', here);
const extension = here.endsWith('.ts') ? '.ts' : '.js';

/**
 * The module `name` (a path below src/ without extension, e.g. `replay/reader-worker`) as built
 * beside the running code: the .ts source under tsx, tsc's .js otherwise (the bundle does not
 * hold these entry points; they load from dist/ as tsc wrote them).
 */
export function moduleUrl(name: string): URL {
  return new URL(`${name}${extension}`, moduleRoot);
}

/** The same module as a file path (for `fork` and `require`). */
export function modulePath(name: string): string {
  return fileURLToPath(moduleUrl(name));
}

/** A file shipped with the package (`prices/catalog.json`), by its path from the package root. */
export function packageFile(path: string): URL {
  return new URL(`../${path}`, moduleRoot);
}
