/**
 * Types for the parts of jstat 1.9.6 this project uses (the package ships none). Only functions that are
 * accurate over the whole range we need are declared: the quantile functions and log-gamma. Tails are
 * NOT taken from jstat's cdfs (`1 - cdf` underflows to 0, see distributions.ts).
 */
declare module 'jstat' {
  interface JStatStatic {
    gammaln(x: number): number;
    normal: {
      inv(p: number, mean: number, std: number): number;
      pdf(x: number, mean: number, std: number): number;
    };
    studentt: {
      inv(p: number, dof: number): number;
    };
  }
  export const jStat: JStatStatic;
}
