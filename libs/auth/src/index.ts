export * from './access-token-verifier';
export * from './actor';
export * from './auth.guard';
export * from './auth.module';
export * from './tokens';
