export * from './infrastructure';
export * from './events';
export * from './service-process';
export * from './reset';
export * from './topics';
export * from './tokens';
export * from './eventually';
