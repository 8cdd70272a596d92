// The web console's files (CONSOLE_DIR) at /. Its pages get a stricter Content-Security-Policy than the platform's
// default (which allows inline scripts for Swagger UI at /docs): scripts, styles and calls from the gateway's own
// origin only, no inline script, no framing. The console holds a signed-in user's token: an injected script must
// have nowhere to run and nowhere to send it.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { resolve } from 'node:path';

export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface ConsoleOptions {
  /** CONSOLE_DIR, relative to the working directory (the repository, or /app in the image) unless absolute. */
  directory: string;
}

export async function consolePlugin(scope: FastifyInstance, options: ConsoleOptions): Promise<void> {
  scope.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    return payload;
  });
  await scope.register(fastifyStatic, {
    root: resolve(options.directory),
    prefix: '/',
    index: ['index.html'],
    // One route per file found at start-up rather than a catch-all GET /*: an unknown path stays the platform's
    // 404 problem, and the gateway's own routes never compete with the console's.
    wildcard: false,
    // Decorating the reply is left to whoever needs sendFile; Swagger UI registers this plugin too.
    decorateReply: false,
    dotfiles: 'deny',
    // Revalidated on each load, so a new console is seen at once (the files are small).
    cacheControl: true,
    maxAge: 0,
  });
}
