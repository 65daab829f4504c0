export * from './types';
export * from './parse';
export * from './analyze';
export { parseCsv } from './csv';
export { locateVariant } from './locate';
