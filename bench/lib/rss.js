import { readFileSync } from 'node:fs';

// Samples a process's resident set size from /proc while a load runs. The
// server is a separate process, so its memory is read from the kernel rather
// than from process.memoryUsage() inside it.
export function readRssMb(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN; // process gone
  }
}

export function sampleRss(pid, intervalMs = 200) {
  const samples = [];
  const take = () => {
    const mb = readRssMb(pid);
    if (Number.isFinite(mb)) samples.push(mb);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { rss_max_mb: samples.length ? Math.max(...samples) : NaN, rss_last_mb: samples.at(-1) ?? NaN };
    },
  };
}
