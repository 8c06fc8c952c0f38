// k6's CPU while a probe runs: tools/host.ts samples k6 and the machine once
// a second; a probe keeps k6's median and peak, and the whole sample set.
import type { HostHealth } from '../../lib/summary/model.ts';
import { sampleHost } from '../host.ts';

export { ticksOf } from '../host.ts';
export { median } from '../../lib/summary/verdict.ts';

export interface CpuFigures {
  /** Median of the 1 s samples, cores: the steady load, not VU start-up or the drain. */
  cores: number | null;
  peak: number | null;
  /** The machine while the probe ran; null where /proc is not. */
  host: HostHealth | null;
}

/** Samples a process's CPU (and the machine) once per `intervalMs` until stop(). */
export function sampleCpu(pid: number, intervalMs = 1000): { stop: () => CpuFigures } {
  const s = sampleHost(pid, intervalMs);
  return {
    stop: () => {
      const host = s.stop();
      return { cores: host ? host.k6CpuMedian : null, peak: host ? host.k6CpuPeak : null, host };
    },
  };
}
