// The edge's Fastify plugins, registered before the gateway listens: filled in by the edge piece of issue 7.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export async function configureEdge(_app: NestFastifyApplication): Promise<void> {
  // routes to the services, console, CORS, rate limits
}
