export * from './types';
export * from './parse';
export * from './decide';
export * from './prometheus';
