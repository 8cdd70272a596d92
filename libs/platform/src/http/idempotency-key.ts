// The Idempotency-Key header of the POSTs that create something: read and checked at the edge, with a fingerprint
// of the request it came with. Scoping it to the caller and storing it beside what it created is
// @linli/persistence's (idempotency.ts); ADR 0035.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { ValidationError } from '../errors/domain.errors';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** 1..128 visible ASCII characters (0x21-0x7E): a UUID, a ULID, or whatever the client's own request id is. */
const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** What a create route learns from the header: the client's key and the fingerprint of the request it came with. */
export interface IdempotentRequest {
  key: string;
  /** sha-256 of the canonical JSON of the route's parameters, query and body: a repeat must match it. */
  fingerprint: string;
}

/** The header's key, undefined when absent; a 400 naming the header when it is malformed or given twice. */
export function parseIdempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) || !KEY_PATTERN.test(value)) {
    throw ValidationError.field(
      IDEMPOTENCY_KEY_HEADER,
      'must be one value of 1 to 128 visible ASCII characters',
      400,
    );
  }
  return value;
}

/**
 * JSON with object keys sorted at every depth, so two requests that differ only in key order (or in a member
 * explicitly undefined) have the same fingerprint.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  const members = Object.keys(value)
    .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
  return `{${members.join(',')}}`;
}

export function requestFingerprint(request: { params?: unknown; query?: unknown; body?: unknown }): string {
  const { params = {}, query = {}, body = null } = request;
  return createHash('sha256').update(canonicalJson({ params, query, body })).digest('hex');
}

/**
 * The route's Idempotency-Key with its request's fingerprint, or undefined when the client sent none. The body
 * fingerprinted is the one received (before the DTO's transforms), so the same bytes give the same fingerprint.
 */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, context: ExecutionContext): IdempotentRequest | undefined => {
    const request = context.switchToHttp().getRequest<{
      headers: Record<string, string | string[] | undefined>;
      params?: unknown;
      query?: unknown;
      body?: unknown;
    }>();
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]);
    if (key === undefined) return undefined;
    return { key, fingerprint: requestFingerprint(request) };
  },
);

/**
 * The header in the route's OpenAPI description. Its 422 is said in the description, not as an @ApiResponse: any
 * declared response makes @nestjs/swagger drop the route's implied 201/200.
 */
export const ApiIdempotencyKey = (): MethodDecorator =>
  ApiHeader({
    name: IDEMPOTENCY_KEY_HEADER,
    required: false,
    description:
      'One key per intended creation, reused on every retry (1-128 visible ASCII characters; 400 otherwise). A ' +
      'repeat by the same caller creates nothing and answers as the first did: the same status and the same ' +
      'resource, as it is now. The same key with a different request is a 422 naming Idempotency-Key.',
    schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
  });
