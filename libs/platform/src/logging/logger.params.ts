// nestjs-pino settings shared by every service: JSON lines on stdout, the correlation id on each line, request
// lines without headers or query strings (they may hold tokens and residents' phone numbers).
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { requestCorrelationId } from '../http/request-correlation';
import { currentCorrelationId } from './correlation.context';

export const CORRELATION_ID_LOG_KEY = 'correlationId';

/** Probes and scrapes arrive every few seconds from every replica: logging each would drown the real traffic. */
export const UNLOGGED_PATH_PREFIXES = ['/health/', '/metrics'] as const;

const HTTP_CLIENT_ERROR_FLOOR = 400;
const HTTP_SERVER_ERROR_FLOOR = 500;

export interface LoggingOptions {
  service: string;
  level: LevelWithSilent;
  /** Where lines go; default stdout. Tests pass a stream to read them back. */
  destination?: DestinationStream;
}

const boundKey = `"${CORRELATION_ID_LOG_KEY}":`;

/**
 * Adds the correlation id of the current run (HTTP request, Kafka message, Bull job) to a line, unless the
 * logger already carries it as a binding (pino-http's request logger does): pino would write the key twice.
 */
export function correlationMixin(_mergeObject: object, _level: number, logger: Logger): object {
  const id = currentCorrelationId();
  if (id === undefined) return {};
  const bindings = (logger as unknown as Record<symbol, string | undefined>)[pino.symbols.chindingsSym];
  if (bindings?.includes(boundKey)) return {};
  return { [CORRELATION_ID_LOG_KEY]: id };
}

export function loggerParams(options: LoggingOptions): Params {
  const pinoHttp: PinoHttpOptions = {
    level: options.level,
    base: { service: options.service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: correlationMixin,
    genReqId: (request: IncomingMessage) => requestCorrelationId(request),
    // The request logger gets only the id as a binding (not the whole request), under our key.
    quietReqLogger: true,
    customAttributeKeys: { reqId: CORRELATION_ID_LOG_KEY },
    serializers: {
      req: (request: { method?: string; url?: string }) => ({
        method: request.method,
        path: request.url?.split('?')[0],
      }),
      res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
    customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) => {
      if (error || response.statusCode >= HTTP_SERVER_ERROR_FLOOR) return 'error';
      if (response.statusCode >= HTTP_CLIENT_ERROR_FLOOR) return 'warn';
      return 'info';
    },
    autoLogging: {
      ignore: (request: IncomingMessage) =>
        UNLOGGED_PATH_PREFIXES.some((prefix) => (request.url ?? '').startsWith(prefix)),
    },
  };
  return { pinoHttp: options.destination ? [pinoHttp, options.destination] : pinoHttp };
}
