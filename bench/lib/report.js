import { summarize, pairedRatios, fmt } from './stats.js';

// Turns raw per-rep measurements into summaries, floor comparisons and target
// verdicts (JSON), and a markdown table. Ratios are medians of per-rep paired
// ratios (see stats.js); verdicts use the median.

const targetsOf = (u) => [u.target ?? []].flat();
const valuesOf = (res, metric) => res.reps.map((r) => (r.metrics ? r.metrics[metric] : NaN));

function checkOp(x, op, limit) {
  if (!Number.isFinite(x)) return 'n/a';
  return (op === '>=' ? x >= limit : x <= limit) ? 'pass' : 'FAIL';
}

export function analyse(units, results) {
  const out = {};
  for (const u of units) {
    const res = results[u.name];
    const entry = {
      name: u.name,
      kind: u.kind,
      role: u.role ?? 'scenario',
      description: u.description,
      floor: u.floor ?? null,
      status: res.status,
      reason: res.reason ?? null,
      notes: res.notes,
      reps: res.reps,
      metrics: {},
    };
    out[u.name] = entry;
    if (res.status !== 'ok') continue;
    const names = [...new Set(res.reps.flatMap((r) => Object.keys(r.metrics ?? {})))];
    const floorRes = u.floor ? results[u.floor] : null;
    for (const m of names) {
      const values = valuesOf(res, m);
      const e = { ...summarize(values), values };
      if (floorRes?.status === 'ok') {
        const fm = u.compare?.[m] ?? m;
        const fv = valuesOf(floorRes, fm);
        if (fv.some(Number.isFinite)) {
          const ratios = pairedRatios(values, fv);
          e.floor = { name: u.floor, metric: fm, ...summarize(fv), ratio: summarize(ratios) };
        }
      }
      e.targets = targetsOf(u)
        .filter((t) => (t.metric ?? u.metric) === m)
        .map((t) => {
          if (t.of) {
            const other = results[t.of];
            const ratio = summarize(other?.status === 'ok' ? pairedRatios(values, valuesOf(other, m)) : []);
            return { ...t, observed: ratio.median, ratio_range: ratio, verdict: checkOp(ratio.median, t.op, t.ratio) };
          }
          if (t.against) {
            const ratio = summarize(pairedRatios(values, valuesOf(res, t.against)));
            return { ...t, observed: ratio.median, ratio_range: ratio, verdict: checkOp(ratio.median, t.op, t.ratio) };
          }
          if (Number.isFinite(t.ratio)) {
            const r = e.floor?.ratio.median ?? NaN;
            return { ...t, observed: r, verdict: checkOp(r, t.op, t.ratio) };
          }
          return { ...t, observed: e.median, verdict: checkOp(e.median, t.op, t.value) };
        });
      entry.metrics[m] = e;
    }
    const errors = res.reps.filter((r) => r.error).map((r) => r.error);
    if (errors.length) entry.rep_errors = errors;
  }
  return out;
}

function targetText(t, u) {
  if (t.against) return `${t.op} ${t.ratio}x ${t.against}`;
  if (t.of) return `${t.op} ${t.ratio}x ${t.of}`;
  if (Number.isFinite(t.ratio)) return `${t.op} ${t.ratio}x ${u.floor}`;
  return `${t.op} ${fmt(t.value)}`;
}

export function markdown(analysed, meta) {
  const lines = [
    `# doorman bench (${meta.mode}, ${meta.reps} rep${meta.reps > 1 ? 's' : ''} x ${meta.duration_s} s, interleaved)`,
    '',
    `${meta.date} · node ${meta.node} · ${meta.wrk ?? 'wrk missing'} · ${meta.cpus} × ${meta.cpu_model} · load ${meta.loadavg_start.map((x) => x.toFixed(2)).join('/')} · ${Math.round(meta.total_s)} s total`,
    '',
    '| scenario | metric | min | median | max | floor (median) | ratio med (min–max) | target | result |',
    '| --- | --- | ---: | ---: | ---: | --- | --- | --- | --- |',
  ];
  for (const e of Object.values(analysed)) {
    if (e.status !== 'ok') {
      lines.push(
        `| ${e.name} | — | | | | ${e.floor ?? ''} | | | ${e.status}: ${String(e.reason).replace(/\|/g, '/').slice(0, 160)} |`,
      );
      continue;
    }
    for (const [m, s] of Object.entries(e.metrics)) {
      const floor = s.floor
        ? `${s.floor.name} ${s.floor.metric === m ? '' : `${s.floor.metric} `}${fmt(s.floor.median)}`
        : '';
      const r = s.floor?.ratio;
      const ratio = r && r.n ? `${fmt(r.median)}x${r.n > 1 ? ` (${fmt(r.min)}–${fmt(r.max)})` : ''}` : '';
      const tg = s.targets
        .map((t) => {
          if (!t.against && !t.of) return targetText(t, e);
          const r = t.ratio_range;
          const range = r && r.n > 1 ? ` ${fmt(r.min)}–${fmt(r.max)}` : '';
          return `${targetText(t, e)} (${fmt(t.observed)}x${range})`;
        })
        .join('; ');
      const verdict = s.targets.map((t) => t.verdict).join('; ');
      lines.push(
        `| ${e.name} | ${m} | ${fmt(s.min)} | ${fmt(s.median)} | ${fmt(s.max)} | ${floor} | ${ratio} | ${tg} | ${verdict} |`,
      );
    }
    if (e.rep_errors)
      lines.push(
        `| ${e.name} | errors | | | | | | | ${e.rep_errors.length} rep(s) failed: ${e.rep_errors[0].replace(/\|/g, '/').slice(0, 120)} |`,
      );
  }
  const notes = Object.values(analysed).flatMap((e) => e.notes.map((n) => `- ${e.name}: ${n}`));
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n') + '\n';
}
