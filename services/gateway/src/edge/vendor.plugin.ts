// Third-party browser files the console loads, at /vendor/<file>: a fixed allow-list mapped to files of installed
// packages (node_modules), so the console needs no build step and no outside host (its CSP allows neither). Read
// once, on first request, and kept; the version comes with the package (package.json pins it), the ETag with the
// bytes. Anything not on the list is the platform's 404 problem.
import { NotFoundError } from '@linli/platform';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CONSOLE_CONTENT_SECURITY_POLICY } from './console.plugin';
import { sendProblem } from './problem-reply';

export const VENDOR_PREFIX = '/vendor';

export interface VendorFile {
  /** The npm package (a dependency in package.json, pinned). */
  package: string;
  /** The file inside the package. */
  path: string;
  contentType: string;
}

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The allow-list: the name the console asks for, and where it comes from. */
export const VENDOR_FILES: Readonly<Record<string, VendorFile>> = {
  // Chart.js's UMD build (global `Chart`), for the supervisor's dashboard.
  'chart.umd.js': { package: 'chart.js', path: 'dist/chart.umd.js', contentType: JAVASCRIPT },
  // Its source map, which browsers' developer tools ask for.
  'chart.umd.js.map': {
    package: 'chart.js',
    path: 'dist/chart.umd.js.map',
    contentType: 'application/json; charset=utf-8',
  },
};

/**
 * Browsers keep a file a day, then revalidate it with its ETag (a 304 without the body). Not `immutable`: the URL
 * carries no version, so an upgraded package must be picked up within the day.
 */
const CACHE_CONTROL = 'public, max-age=86400';

interface Loaded {
  body: Buffer;
  etag: string;
}

export async function vendorPlugin(scope: FastifyInstance): Promise<void> {
  const loaded = new Map<string, Promise<Loaded>>();

  scope.get(`${VENDOR_PREFIX}/:file`, async (request: FastifyRequest, reply: FastifyReply) => {
    const name = (request.params as { file: string }).file;
    const file = Object.hasOwn(VENDOR_FILES, name) ? VENDOR_FILES[name] : undefined;
    if (!file) return sendProblem(request, reply, new NotFoundError('file', `${VENDOR_PREFIX}/${name}`));
    let entry = loaded.get(name);
    if (!entry) {
      entry = load(file);
      // A failed read (the package missing from this installation) is tried again on the next request.
      entry.catch(() => loaded.delete(name));
      loaded.set(name, entry);
    }
    let content: Loaded;
    try {
      content = await entry;
    } catch {
      return sendProblem(request, reply, new NotFoundError('file', `${VENDOR_PREFIX}/${name}`));
    }
    reply
      .header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY)
      .header('cache-control', CACHE_CONTROL)
      .header('etag', content.etag);
    if (request.headers['if-none-match'] === content.etag) return reply.code(304).send();
    return reply.type(file.contentType).send(content.body);
  });
}

async function load(file: VendorFile): Promise<Loaded> {
  const body = await readFile(join(packageDirectory(file.package), file.path));
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/**
 * Where a package is installed, by Node's own search path (hoisted or not). Found by its folder, not through
 * `require.resolve` of the file: packages' `exports` maps (chart.js's among them) do not export their dist files.
 */
export function packageDirectory(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const candidate = join(base, name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
  }
  throw new NotFoundError('package', name);
}
