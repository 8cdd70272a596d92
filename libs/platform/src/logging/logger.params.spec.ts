import pino from 'pino';
import { Writable } from 'node:stream';
import { correlationContext } from './correlation.context';
import { correlationMixin } from './logger.params';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8').trim());
      callback();
    },
  });
  return { logger: pino({ mixin: correlationMixin }, stream), lines };
}

const occurrences = (line: string) => line.split('"correlationId"').length - 1;

describe('the correlation mixin', () => {
  it('adds the current correlation id to lines written inside a run (a Kafka message, a Bull job)', () => {
    const { logger, lines } = capturingLogger();
    correlationContext.run('msg-1', () => logger.info('handled'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ correlationId: 'msg-1', msg: 'handled' });
  });

  it('adds nothing outside a run', () => {
    const { logger, lines } = capturingLogger();
    logger.info('started');
    expect(JSON.parse(lines[0]!)).not.toHaveProperty('correlationId');
  });

  it('does not write the key twice when the logger already carries it (the HTTP request logger)', () => {
    const { logger, lines } = capturingLogger();
    correlationContext.run('req-1', () => logger.child({ correlationId: 'req-1' }).info('handled'));
    expect(occurrences(lines[0]!)).toBe(1);
  });

  it('does not write the key twice when the line itself names it', () => {
    const { logger, lines } = capturingLogger();
    correlationContext.run('req-1', () => logger.info({ correlationId: 'req-1' }, 'handled'));
    expect(occurrences(lines[0]!)).toBe(1);
  });
});
