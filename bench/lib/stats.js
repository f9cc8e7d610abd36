// Summaries over repetitions. Only min/median/max: with 1–5 noisy samples on a
// shared 2-core machine, means and standard deviations would suggest a
// precision the data does not have.

export function median(values) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function summarize(values) {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { n: 0, min: NaN, median: NaN, max: NaN };
  return { n: v.length, min: Math.min(...v), median: median(v), max: Math.max(...v) };
}

// Paired ratios: rep i of a scenario divided by rep i of its floor. Because
// reps are interleaved, each pair saw roughly the same machine state, so the
// ratio cancels slow drift (thermal, neighbours) that absolute numbers keep.
export function pairedRatios(values, floorValues) {
  const out = [];
  for (let i = 0; i < Math.min(values.length, floorValues.length); i++) {
    const a = values[i],
      b = floorValues[i];
    if (Number.isFinite(a) && Number.isFinite(b) && b !== 0) out.push(a / b);
  }
  return out;
}

export function fmt(x, digits = 3) {
  if (!Number.isFinite(x)) return '—';
  const abs = Math.abs(x);
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}
