// A tiny service booted with bootstrapService on a free port, driven over real HTTP as a client would.
import { Body, Controller, Get, Logger, Module, Param, Post, type INestApplication } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { Writable } from 'node:stream';
import {
  CommonConfigSchema,
  ConflictError,
  PLATFORM_DEFAULTS,
  PROBLEM_CONTENT_TYPE,
  PlatformModule,
  ReadinessRegistry,
  bootstrapService,
  correlationContext,
  currentCorrelationId,
  defineConfig,
  type ProblemDocument,
  type ReadinessReport,
} from '../src';

class CreateVisitDto {
  @IsString()
  elderId!: string;

  @IsInt()
  @Min(1)
  durationMinutes!: number;
}

@Controller('visits')
class VisitsController {
  private readonly logger = new Logger('VisitsController');

  @Post()
  async create(@Body() dto: CreateVisitDto): Promise<CreateVisitDto & { correlationId?: string }> {
    // Awaits first, so the id is read after the request's own synchronous path has ended.
    await new Promise((resolve) => setImmediate(resolve));
    this.logger.log({ msg: 'visit planned', elderId: dto.elderId });
    return {
      elderId: dto.elderId,
      durationMinutes: dto.durationMinutes,
      correlationId: currentCorrelationId(),
    };
  }

  @Get('broken')
  broken(): never {
    throw new Error('mongo://admin:secret@10.0.0.5 refused the connection');
  }

  @Post(':id/check-in')
  checkIn(@Param('id') id: string): never {
    throw new ConflictError(`visit ${id} is already checked in`, { status: 'checked-in', version: 3 });
  }
}

/** Every log line the app writes, parsed. */
const logLines: Record<string, unknown>[] = [];
const logCapture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      rawLogLines.push(line);
      logLines.push(JSON.parse(line));
    }
    callback();
  },
});

/**
 * Half the default limit, so a body between the two proves BODY_LIMIT_BYTES reaches the parsers: the default
 * equals Fastify's own, which would pass even if the setting were ignored.
 */
const BODY_LIMIT_BYTES = PLATFORM_DEFAULTS.BODY_LIMIT_BYTES / 2;
const BETWEEN_LIMIT_AND_DEFAULT = (BODY_LIMIT_BYTES + PLATFORM_DEFAULTS.BODY_LIMIT_BYTES) / 2;

const config = defineConfig(CommonConfigSchema, {
  HTTP_PORT: '0',
  LOG_LEVEL: 'info',
  BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
});

@Module({
  imports: [PlatformModule.forRoot({ service: 'skeleton-sample', config, logDestination: logCapture })],
  controllers: [VisitsController],
})
class SampleModule {}

const TWO_MEGABYTES = 2 * 1024 * 1024;

async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** Log lines are parsed once written; this waits for the response-finished line of a request. */
const settleLogs = () => new Promise((resolve) => setImmediate(resolve));

const rawLogLines: string[] = [];

describe('service skeleton over HTTP', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    app = await bootstrapService(SampleModule);
    baseUrl = (await app.getUrl()).replace('[::1]', 'localhost');
  });

  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('answers /health/live with 200', async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.status).toBe(200);
  });

  it('answers /health/ready with 200 while every check passes, 503 naming the failed one after', async () => {
    const readiness = app.get(ReadinessRegistry);
    readiness.register({ name: 'always-up', check: () => undefined });
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: [{ name: 'always-up', status: 'up' }],
    });

    readiness.register({
      name: 'kafka',
      check: () => {
        throw new Error('broker 127.0.0.1:9092 unreachable');
      },
    });
    try {
      const notReady = await fetch(`${baseUrl}/health/ready`);
      expect(notReady.status).toBe(503);
      const report = await json<ReadinessReport>(notReady);
      expect(report.status).toBe('not-ready');
      expect(report.checks).toContainEqual(
        expect.objectContaining({
          name: 'kafka',
          status: 'down',
          error: 'broker 127.0.0.1:9092 unreachable',
        }),
      );
      expect(report.checks).toContainEqual(expect.objectContaining({ name: 'always-up', status: 'up' }));
    } finally {
      readiness.unregister('kafka');
      readiness.unregister('always-up');
    }
  });

  it('exposes Prometheus metrics with the HTTP request duration histogram', async () => {
    await fetch(`${baseUrl}/health/live`);
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toMatch(
      /http_server_request_duration_seconds_bucket\{le="[^"]+",method="GET",route="\/health\/live",status_code="200"\}/,
    );
  });

  it('serves the OpenAPI document at /docs/json and the UI at /docs', async () => {
    const jsonResponse = await fetch(`${baseUrl}/docs/json`);
    expect(jsonResponse.status).toBe(200);
    const document = await json<{ openapi: string; paths: object }>(jsonResponse);
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/visits', '/health/ready']));
    const ui = await fetch(`${baseUrl}/docs`);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toContain('text/html');
  });

  it('accepts a valid body; the handler sees the correlation id and its log line carries it once', async () => {
    const id = `it-valid-${Date.now()}`;
    const response = await post('/visits', JSON.stringify({ elderId: 'e-1', durationMinutes: 30 }), {
      'x-correlation-id': id,
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ elderId: 'e-1', durationMinutes: 30, correlationId: id });
    await settleLogs();
    const handlerLine = rawLogLines.find((line) => line.includes('"visit planned"'));
    expect(handlerLine).toBeDefined();
    expect(handlerLine!.split('"correlationId"').length - 1).toBe(1);
    expect(JSON.parse(handlerLine!)).toMatchObject({ correlationId: id, context: 'VisitsController' });
  });

  it('keeps the correlation id for a handler whose body arrived in pieces', async () => {
    const id = `it-chunked-${Date.now()}`;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"elderId":"e-3",'));
        await new Promise((resolve) => setTimeout(resolve, 50));
        controller.enqueue(encoder.encode('"durationMinutes":5}'));
        controller.close();
      },
    });
    const response = await fetch(`${baseUrl}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-correlation-id': id },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(201);
    expect((await json(response)).correlationId).toBe(id);
  });

  it('answers an unexpected error with 500 problem+json without internals, logged with the correlation id', async () => {
    const id = `it-broken-${Date.now()}`;
    const response = await fetch(`${baseUrl}/visits/broken`, { headers: { 'x-correlation-id': id } });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const text = await response.text();
    expect(text).not.toContain('secret');
    expect(text).not.toContain('10.0.0.5');
    expect(JSON.parse(text)).toMatchObject({
      status: 500,
      title: 'Internal Server Error',
      correlationId: id,
    });
    await settleLogs();
    const errorLine = logLines.find(
      (entry) => entry.correlationId === id && entry.msg === 'unexpected error answered with 500',
    );
    expect(errorLine).toMatchObject({ level: 'error', err: { message: expect.stringContaining('refused') } });
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const response = await fetch(`${baseUrl}/nowhere`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  });

  it('rejects an unknown field with 400 problem+json naming it', async () => {
    const response = await post(
      '/visits',
      JSON.stringify({ elderId: 'e-1', durationMinutes: 30, isAdmin: true }),
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    const problem = await json<ProblemDocument>(response);
    expect(problem).toMatchObject({ status: 400, type: 'urn:linli:problem:validation', instance: '/visits' });
    expect(problem.errors).toEqual([{ field: 'isAdmin', message: 'property isAdmin should not exist' }]);
  });

  it('names a missing required field', async () => {
    const response = await post('/visits', JSON.stringify({ durationMinutes: 30 }));
    expect(response.status).toBe(400);
    const problem = await json<ProblemDocument>(response);
    expect(problem.errors).toEqual([{ field: 'elderId', message: 'elderId must be a string' }]);
  });

  it('answers a 2 MB body with 413 problem+json', async () => {
    const response = await post('/visits', JSON.stringify({ elderId: 'x'.repeat(TWO_MEGABYTES) }));
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ status: 413, title: 'Payload Too Large' });
  });

  it('applies BODY_LIMIT_BYTES to JSON and form bodies', async () => {
    const description = 'x'.repeat(BETWEEN_LIMIT_AND_DEFAULT);
    const jsonResponse = await post('/visits', JSON.stringify({ elderId: 'e-1', description }));
    expect(jsonResponse.status).toBe(413);
    const formResponse = await fetch(`${baseUrl}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `elderId=e-1&description=${description}`,
    });
    expect(formResponse.status).toBe(413);
    expect(formResponse.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  });

  it('leaves the query string out of the problem instance', async () => {
    const response = await post('/visits?phone=13800138000', JSON.stringify({ durationMinutes: 30 }));
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain('13800138000');
    expect(JSON.parse(text)).toMatchObject({ instance: '/visits' });
  });

  it('answers malformed JSON with 400 problem+json', async () => {
    const response = await post('/visits', '{"elderId": "e-1",');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('answers an unsupported media type with 415 problem+json', async () => {
    const response = await post('/visits', '<visit/>', { 'content-type': 'application/xml' });
    expect(response.status).toBe(415);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  });

  it('accepts a form body (Open311 clients post forms)', async () => {
    const response = await fetch(`${baseUrl}/visits`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'elderId=e-2&durationMinutes=15',
    });
    // Form values are strings: the DTO's @IsInt names the field rather than the request failing to parse.
    expect(response.status).toBe(400);
    expect((await json<ProblemDocument>(response)).errors).toEqual([
      expect.objectContaining({ field: 'durationMinutes' }),
      expect.objectContaining({ field: 'durationMinutes' }),
    ]);
  });

  it('answers a ConflictError with 409 problem+json carrying the current state', async () => {
    const response = await post('/visits/v-7/check-in', '{}');
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(await response.json()).toMatchObject({
      type: 'urn:linli:problem:conflict',
      status: 409,
      detail: 'visit v-7 is already checked in',
      current: { status: 'checked-in', version: 3 },
      instance: '/visits/v-7/check-in',
    });
  });

  it('sends security headers', async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('echoes x-correlation-id and writes it on the log line of that request', async () => {
    const id = `it-${Date.now()}`;
    const response = await post('/visits/v-8/check-in', '{}', { 'x-correlation-id': id });
    expect(response.headers.get('x-correlation-id')).toBe(id);
    expect((await json(response)).correlationId).toBe(id);
    await settleLogs();
    const line = logLines.find((entry) => entry.correlationId === id);
    expect(line).toMatchObject({ service: 'skeleton-sample', correlationId: id, res: { statusCode: 409 } });
  });

  it('puts the id of a correlationContext.run on lines logged outside any request (a Kafka consumer)', async () => {
    const id = `it-consumer-${Date.now()}`;
    correlationContext.run(id, () => new Logger('JobsConsumer').log('job.requested handled'));
    await settleLogs();
    expect(logLines.find((entry) => entry.msg === 'job.requested handled')).toMatchObject({
      correlationId: id,
      context: 'JobsConsumer',
      service: 'skeleton-sample',
    });
  });

  it('generates a correlation id when the caller sends none', async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
