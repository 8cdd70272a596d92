// main.ts of every service in one call: Fastify, body parsers with the configured limit, security headers,
// OpenAPI at /docs, structured logs, graceful shutdown, listening on HTTP_HOST:HTTP_PORT.
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { PLATFORM_CONFIG, type CommonConfig } from './config/config';
import { installOperatorInjectionGuard } from './http/operator-injection';
import { requestCorrelationId } from './http/request-correlation';
import { PLATFORM_OPTIONS, serviceNameOf, type PlatformModuleOptions } from './platform.module';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/json';
const JSON_MEDIA_TYPE = 'application/json';
const TEXT_MEDIA_TYPE = 'text/plain';

export interface BootstrapOptions {
  /** Runs after the platform is set up and before listening: extra plugins, a Kafka microservice, more docs. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
  /** The OpenAPI document's version; default the package version in npm_package_version, else 0.0.0. */
  apiVersion?: string;
}

export async function bootstrapService(
  appModule: Type<unknown>,
  options: BootstrapOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Fastify's own logger stays off: nestjs-pino logs requests, once, with the correlation id.
    logger: false,
    // Fastify's request id is the correlation id; @fastify/middie copies it to the raw request, where pino-http
    // would otherwise pick up Fastify's counter (req-1, req-2...) instead.
    genReqId: (request: IncomingMessage) => requestCorrelationId(request),
  });
  const app = await NestFactory.create<NestFastifyApplication>(appModule, adapter, {
    // Nest's own parsers are replaced below (its urlencoded parser would clash with @fastify/formbody's).
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const platform = app.get<PlatformModuleOptions>(PLATFORM_OPTIONS);
  const config = app.get<CommonConfig>(PLATFORM_CONFIG);

  await registerBodyParsers(app, config.BODY_LIMIT_BYTES);
  installOperatorInjectionGuard(app.getHttpAdapter().getInstance());
  await app.register(fastifyHelmet, {
    // Swagger UI at /docs runs inline scripts and styles and loads images as data: URLs; everything else
    // keeps helmet's defaults (which an API answering JSON never trips).
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'", "'unsafe-inline'"],
      },
    },
  });
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Linli ${serviceNameOf(platform)}`)
      .setVersion(options.apiVersion ?? process.env.npm_package_version ?? '0.0.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH });

  await options.configure?.(app);
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  app.get(Logger).log({ msg: 'listening', url: await app.getUrl() }, 'bootstrap');
  return app;
}

/**
 * JSON and form bodies (Open311 clients post forms), each capped at BODY_LIMIT_BYTES; anything else gets 415.
 * The limit is set per parser because the Fastify instance exists before the service's configuration is read.
 */
async function registerBodyParsers(app: NestFastifyApplication, bodyLimit: number): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeContentTypeParser(TEXT_MEDIA_TYPE);
  fastify.addContentTypeParser(
    JSON_MEDIA_TYPE,
    { parseAs: 'string', bodyLimit },
    // Rejects __proto__ and constructor.prototype keys instead of stripping them silently.
    fastify.getDefaultJsonParser('error', 'error'),
  );
  await app.register(fastifyFormbody, { bodyLimit });
}
