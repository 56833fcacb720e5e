/**
 * Shapiro-Wilk W with Royston's (1992, 1995) approximation of the coefficients, as in R's
 * swilk.c: W near 1 is consistent with a normal sample, smaller is less normal.
 */
export function shapiroWilkW(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 1;
  const x = [...values].sort((a, b) => a - b);
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const ss = x.reduce((a, b) => a + (b - mean) ** 2, 0);
  if (ss <= 0) return 1;
  const a = coefficients(n);
  let num = 0;
  for (let i = 0; i < n; i++) num += a[i]! * x[i]!;
  return Math.min(1, (num * num) / ss);
}

function coefficients(n: number): number[] {
  if (n === 3) return [-Math.SQRT1_2, 0, Math.SQRT1_2];
  const m = Array.from({ length: n }, (_, i) => normalQuantile((i + 1 - 0.375) / (n + 0.25)));
  const mm = m.reduce((s, v) => s + v * v, 0);
  const u = 1 / Math.sqrt(n);
  const poly = (c: number[]) => c.reduce((s, ci, k) => s + ci * u ** k, 0);
  const mn = m[n - 1]!;
  const mn1 = m[n - 2]!;
  const an = poly([0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056]) + mn / Math.sqrt(mm);
  const a = new Array<number>(n);
  if (n > 5) {
    const an1 = poly([0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633]) + mn1 / Math.sqrt(mm);
    const phi = (mm - 2 * mn * mn - 2 * mn1 * mn1) / (1 - 2 * an * an - 2 * an1 * an1);
    for (let i = 0; i < n; i++) a[i] = m[i]! / Math.sqrt(phi);
    a[n - 1] = an;
    a[n - 2] = an1;
    a[0] = -an;
    a[1] = -an1;
  } else {
    const phi = (mm - 2 * mn * mn) / (1 - 2 * an * an);
    for (let i = 0; i < n; i++) a[i] = m[i]! / Math.sqrt(phi);
    a[n - 1] = an;
    a[0] = -an;
  }
  return a;
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}
