export * from './consumer.rules';
export * from './consumer.runner';
export * from './consumer.metrics';
export * from './dead-letter';
export * from './retry.policy';
