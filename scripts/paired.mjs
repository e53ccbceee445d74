// Ratios of whole-process timings taken within pairs (or rounds) of adjacent runs, for the benchmark scripts.
// This 2-core VM runs at one of two speeds and can switch between them from one minute to the
// next; two runs back to back almost always share the speed, so a ratio taken within a pair
// holds when a ratio of two medians (each side's runs spread over both speeds) does not.

/** Median of `xs` (the mean of the two middle values for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Per pair i, `top[i] / bottom[i]` (the runs of pair i ran back to back). */
export function pairRatios(top, bottom) {
  return top.map((x, i) => x / bottom[i]);
}

/** The per-pair ratios, printed: "0.98 1.02 1.01". */
export const ratioList = (ratios) => ratios.map((r) => r.toFixed(2)).join(' ');
