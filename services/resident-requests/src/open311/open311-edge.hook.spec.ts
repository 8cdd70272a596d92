import { isOpen311Path, open311ErrorOfProblem } from './open311-edge.hook';

describe('the Open311 edge', () => {
  it.each([
    ['/open311/v2/requests.json', true],
    ['/open311/discovery.xml?x=1', true],
    ['/open311', true],
    ['/open311-clients', false],
    ['/tickets', false],
  ])('%s is an Open311 path: %s', (url, expected) => {
    expect(isOpen311Path(url)).toBe(expected);
  });

  it.each([
    [404, 404],
    [401, 403],
    [403, 403],
    [413, 400],
    [415, 400],
    [400, 400],
    [500, 400],
  ])('a problem with status %i is answered %i', (problem, status) => {
    expect(open311ErrorOfProblem(problem, 'detail').status).toBe(status);
  });
});
