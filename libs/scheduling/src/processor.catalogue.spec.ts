import { matchProcessors } from './processor.catalogue';
import { defineScheduledJob } from './scheduled-job';
import { ProcessorRegistrationError } from './scheduling.errors';

const callback = defineScheduledJob({ queue: 'requests', name: 'callback' });
const deadline = defineScheduledJob({ queue: 'requests', name: 'deadline' });
const handler = { run: async () => undefined };
const found = (definition: typeof callback, className: string) => ({
  definition,
  instance: handler,
  className,
  isStatic: true,
});

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ProcessorRegistrationError) return error.problems;
    throw error;
  }
  return [];
}

describe('matchProcessors', () => {
  it('pairs each declared job with its one processor', () => {
    const matched = matchProcessors([callback, deadline], [found(callback, 'A'), found(deadline, 'B')]);
    expect([...matched.keys()]).toEqual(['requests/callback', 'requests/deadline']);
  });

  it('refuses a declared job without a processor', () => {
    expect(problemsOf(() => matchProcessors([callback, deadline], [found(callback, 'A')]))).toEqual([
      'job requests/deadline is scheduled but has no @ScheduledJobProcessor provider',
    ]);
  });

  it('refuses a job with two processors, naming both', () => {
    expect(
      problemsOf(() => matchProcessors([callback], [found(callback, 'A'), found(callback, 'B')])),
    ).toEqual(['job requests/callback has 2 processors: A, B']);
  });

  it('refuses a processor for a job that is not declared', () => {
    expect(
      problemsOf(() => matchProcessors([callback], [found(callback, 'A'), found(deadline, 'B')])),
    ).toEqual([
      "B processes requests/deadline, which is not in the scheduling module's jobs (renamed or undeclared?)",
    ]);
  });
});
