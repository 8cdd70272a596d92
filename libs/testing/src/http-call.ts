// A request to a service started by a test, as its users send it: JSON in (or a string as given), the reply's
// status, headers and body (parsed JSON; `{ text }` when it is not JSON; `{}` when empty).
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
