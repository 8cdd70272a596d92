// The platform as its users reach it: through the gateway. An admin creates an operator's account, the operator
// signs in, takes a hotline call as a ticket through /api/resident-requests/ and reads it back; after signing out,
// the gateway refuses the same access token (and the refresh token) although it has not expired. A create retried
// with its Idempotency-Key through the edge answers the first ticket.
import { randomUUID } from 'node:crypto';
import {
  callWithToken,
  GATEWAY_ADMIN_PASSWORD,
  GULOU,
  hotlineTicket,
  signIn,
  startGatewayPlatform,
  type GatewayPlatform,
} from './support/linli';

const OPERATOR = { username: 'op-gulou', password: 'operator-password-2026' };

let platform: GatewayPlatform;

beforeAll(async () => {
  // Only the service the scenario calls: the routing to the others is the edge's integration suite's.
  platform = await startGatewayPlatform(['resident-requests']);
});

afterAll(async () => {
  await platform?.stop();
});

it('an operator signs in at the gateway, files a ticket through it, and is refused there after signing out', async () => {
  const { gateway } = platform;
  const admin = await signIn(gateway, 'admin', GATEWAY_ADMIN_PASSWORD);
  const created = await callWithToken(gateway, 'POST', '/users', admin.accessToken, {
    username: OPERATOR.username,
    displayName: '王芳 (鼓楼区热线)',
    password: OPERATOR.password,
    roles: ['operator'],
    jurisdiction: GULOU,
  });
  expect(created.status).toBe(201);

  const session = await signIn(gateway, OPERATOR.username, OPERATOR.password);
  const me = await callWithToken(gateway, 'GET', '/me', session.accessToken);
  expect(me.body).toMatchObject({ userId: OPERATOR.username, roles: ['operator'], jurisdiction: GULOU });

  const filed = await callWithToken(
    gateway,
    'POST',
    '/api/resident-requests/tickets',
    session.accessToken,
    hotlineTicket(),
  );
  expect(filed.status).toBe(201);
  expect(filed.headers.get('x-correlation-id')).toBeTruthy();
  const ticketId = filed.body.ticketId as string;
  const read = await callWithToken(
    gateway,
    'GET',
    `/api/resident-requests/tickets/${ticketId}`,
    session.accessToken,
  );
  expect(read.status).toBe(200);
  expect(read.body).toMatchObject({ ticketId, category: 'repair', channel: 'hotline' });

  // The Idempotency-Key reaches the service through the edge: a retried create answers the first ticket (ADR 0035).
  const key = randomUUID();
  const retried = JSON.stringify(hotlineTicket());
  const file = async () => {
    const response = await fetch(`${gateway.url}/api/resident-requests/tickets`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: retried,
    });
    return { status: response.status, ticketId: ((await response.json()) as { ticketId?: string }).ticketId };
  };
  const [first, again] = [await file(), await file()];
  expect([first.status, again.status]).toEqual([201, 201]);
  expect(again.ticketId).toBe(first.ticketId);

  expect((await callWithToken(gateway, 'POST', '/auth/logout', session.accessToken)).status).toBe(204);

  const afterwards = await callWithToken(
    gateway,
    'GET',
    `/api/resident-requests/tickets/${ticketId}`,
    session.accessToken,
  );
  expect(afterwards.status).toBe(401);
  expect(afterwards.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const refreshed = await callWithToken(gateway, 'POST', '/auth/refresh', undefined, {
    refreshToken: session.refreshToken,
  });
  expect(refreshed.status).toBe(401);
});
