export * from './analyze';
export * from './robustness';
export * from './predictors';
