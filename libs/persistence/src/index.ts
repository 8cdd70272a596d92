export * from './processed-events.schema';
export * from './processed-events.store';
