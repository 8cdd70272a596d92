import { BadGatewayError, UpstreamTimeoutError, UpstreamUnavailableError } from './edge.errors';
import { upstreamProblem } from './proxy.plugin';

const failure = (code: string, causeCode?: string) =>
  Object.assign(new Error(code), {
    code,
    ...(causeCode ? { cause: Object.assign(new Error(causeCode), { code: causeCode }) } : {}),
  });

describe('upstreamProblem', () => {
  it.each([
    [
      'connection refused',
      failure('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'ECONNREFUSED'),
      UpstreamUnavailableError,
    ],
    ['unknown host', failure('FST_REPLY_FROM_SERVICE_UNAVAILABLE', 'ENOTFOUND'), UpstreamUnavailableError],
    [
      'connect timeout',
      failure('UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'),
      UpstreamUnavailableError,
    ],
    [
      'no answer in time',
      failure('FST_REPLY_FROM_GATEWAY_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT'),
      UpstreamTimeoutError,
    ],
    [
      'body stalled',
      failure('FST_REPLY_FROM_INTERNAL_SERVER_ERROR', 'UND_ERR_BODY_TIMEOUT'),
      UpstreamTimeoutError,
    ],
    ['connection reset', failure('ECONNRESET', 'ECONNRESET'), BadGatewayError],
    ['socket closed', failure('UND_ERR_SOCKET', 'UND_ERR_SOCKET'), BadGatewayError],
    ['an invalid status', failure('FST_REPLY_FROM_BAD_GATEWAY'), BadGatewayError],
  ])('%s', (_what, error, expected) => {
    const problem = upstreamProblem('dispatch', error);
    expect(problem).toBeInstanceOf(expected);
    expect(problem.extensions()).toEqual({ service: 'dispatch' });
  });
});
