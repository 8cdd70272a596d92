// Ticket numbers are handed out by one counter per day: the first tickets of a day, taken by several operators at
// once, must each get a number of their own, and none may fail because the day's counter did not exist yet.
import type { ServiceProcess } from '@linli/testing';
import { call, hotlineTicket, operator, startRequests } from './support';

const AT_ONCE = 20;

describe('ticket numbers', () => {
  let requests: ServiceProcess;

  beforeAll(async () => {
    requests = await startRequests(); // a database of its own: no counter for today yet
  });
  afterAll(() => requests?.stop());

  it('are distinct for the first tickets of a day taken all at once', async () => {
    const replies = await Promise.all(
      Array.from({ length: AT_ONCE }, () => call(requests, 'POST', '/tickets', operator(), hotlineTicket())),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(AT_ONCE).fill(201));
    expect(new Set(replies.map((r) => r.body.ticketId)).size).toBe(AT_ONCE);
  });
});
