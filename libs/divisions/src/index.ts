export * from './administrative-tree';
export * from './division-code.validator';
