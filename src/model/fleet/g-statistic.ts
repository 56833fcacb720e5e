/**
 * Log-likelihood ratio (nats) of k successes in m trials at their own rate k/m against rate q: how
 * much likelier the observed rate is than the reference one. Zero unless k/m exceeds q, so it only
 * ever speaks for "more than the population", never for "less".
 */
export function gStatistic(k: number, m: number, q: number): number {
  if (m === 0 || k / m <= q) return 0;
  const term = (x: number, p: number) => (x === 0 ? 0 : x * Math.log(x / (m * p)));
  return term(k, q) + term(m - k, 1 - q);
}
