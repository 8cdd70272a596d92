export * from './access-token-verifier';
export * from './actor';
export * from './actor-context';
export * from './auth.guard';
export * from './auth.module';
export * from './tokens';
