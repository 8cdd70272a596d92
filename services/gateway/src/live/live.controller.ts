// GET /live: the signed-in user's stream of change notices (server-sent events), for the console to refetch what it
// shows. Read with fetch (EventSource cannot send the bearer token). The edge has already refused revoked sessions.
import { Actor, CurrentActor } from '@linli/auth';
import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import jwt from 'jsonwebtoken';
import type { OutgoingHttpHeaders } from 'node:http';
import { config } from '../config';
import { LiveHub } from './live.hub';
import { msUntilExpiry, streamOpening } from './live.rules';

const BEARER = /^Bearer (\S+)$/;

@ApiTags('live')
@ApiBearerAuth()
@Controller('live')
export class LiveController {
  constructor(private readonly hub: LiveHub) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description:
      'Server-sent events: `event: change` with `data: {"id","topic","type","subject","jurisdiction","time"}` ' +
      "for each domain event within the caller's jurisdiction (ids only, never the event's data); a heartbeat " +
      'comment every 15 s. Ends when the access token expires: reconnect with a fresh one.',
  })
  stream(@CurrentActor() actor: Actor, @Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const raw = reply.raw;
    // Fastify answers HEAD with the GET route: the headers, and no stream left open for a body never sent.
    if (request.method === 'HEAD') {
      reply.hijack();
      raw.writeHead(200, streamHeaders(reply)).end();
      return;
    }
    const token = tokenTimes(request.headers.authorization);
    // Before anything is written, so a refusal is still an ordinary problem answer.
    const forget = this.hub.open(
      {
        userId: actor.userId,
        jurisdiction: actor.jurisdiction,
        sessionId: token.sid,
        expiresInMs: msUntilExpiry(token.exp, Date.now()),
      },
      {
        write: (text) => raw.write(text),
        bufferedBytes: () => raw.writableLength,
        end: () => raw.end(),
        destroy: () => raw.destroy(),
      },
    );
    raw.once('close', forget);

    reply.hijack();
    raw.writeHead(200, streamHeaders(reply));
    raw.write(streamOpening(config.LIVE_RETRY_MS));
  }
}

function streamHeaders(reply: FastifyReply): OutgoingHttpHeaders {
  return {
    // What the platform's hooks put on the reply (security headers, correlation id, CORS) is kept.
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    'content-type': 'text/event-stream; charset=utf-8',
    // no-transform: no proxy may compress (and so buffer) the stream.
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  };
}

/** `exp` and `sid` of the token the guard has verified for this same request: decoded, not verified again. */
function tokenTimes(authorization: string | string[] | undefined): { exp?: number; sid?: string } {
  const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
  const payload = token ? jwt.decode(token) : null;
  if (!payload || typeof payload !== 'object') return {};
  return {
    ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
    ...(typeof payload['sid'] === 'string' ? { sid: payload['sid'] } : {}),
  };
}
