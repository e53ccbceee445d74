/** How a confidence (1 − p) is shown: in the gate's reasons and its table. */

/**
 * 1 − p in %, rounded down at the shown precision (two decimals below p 0.001, else one): a p of
 * 0.00005 reads "99.99", never "100.00", which would claim a certainty no finite test gives.
 */
export function confidencePct(p: number): string {
  const digits = p < 0.001 ? 2 : 1;
  const scale = 10 ** digits;
  return (Math.floor((1 - p) * 100 * scale + 1e-9) / scale).toFixed(digits);
}
