import { infrastructureFromEnv } from './infrastructure';

describe('infrastructureFromEnv', () => {
  it('uses the environment when all three addresses are given', () => {
    const infra = infrastructureFromEnv({
      KAFKA_BROKERS: 'a:9092, b:9092',
      MONGO_URL: 'mongodb://m:27017',
      REDIS_URL: 'redis://r:6379',
    });
    expect(infra).toMatchObject({ kafkaBrokers: ['a:9092', 'b:9092'], source: 'env' });
  });

  it('falls through when any address is missing', () => {
    expect(infrastructureFromEnv({ KAFKA_BROKERS: 'a:9092', MONGO_URL: 'mongodb://m' })).toBeUndefined();
  });
});
