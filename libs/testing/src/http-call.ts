// A request to a service started by a test, as its users send it: JSON in (or a string as given), the reply's
// status, headers and body (parsed JSON; `{ text }` when it is not JSON; `{}` when empty).
import { request as httpRequest } from 'node:http';
import type { ServiceProcess } from './service-process';

/** Response bodies are read loosely in tests: the assertions say what shape is expected. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface Response<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

export async function call<T = Json>(
  service: ServiceProcess,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
  contentType = 'application/json',
): Promise<Response<T>> {
  const response = await fetch(service.url + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/**
 * Posts a body too big to be read, as a client streaming it would: the server must refuse it from its declared
 * length (413) before the upload ends, so only the first 64 KiB are sent, the answer read and the rest dropped.
 * Writing it all races the server closing the connection: the client then gets EPIPE instead of the answer (seen in
 * CI with fetch).
 */
export function postOversized(
  service: ServiceProcess,
  path: string,
  headers: Record<string, string>,
  body: string,
  contentType = 'application/json',
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(service.url + path, {
      method: 'POST',
      headers: { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
      agent: false,
    });
    request.on('response', (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => {
        request.destroy();
        let parsed: Json = {};
        try {
          parsed = text ? (JSON.parse(text) as Json) : {};
        } catch {
          parsed = { text };
        }
        resolve({
          status: response.statusCode ?? 0,
          body: parsed,
          headers: new Headers({ 'content-type': String(response.headers['content-type'] ?? '') }),
        });
      });
    });
    request.on('error', reject);
    request.write(Buffer.from(body).subarray(0, 64 * 1024));
  });
}
