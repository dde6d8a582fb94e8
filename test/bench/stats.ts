/** The q-quantile of samples (nearest rank): p50 is the median, p99 of 2 000 samples is the 1 980th. */
export const quantile = (samples: readonly number[], q: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

/** Times `count` sequential calls of `work`, in milliseconds. */
export const timeEach = async (count: number, work: (index: number) => Promise<unknown>): Promise<number[]> => {
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await work(index);
    samples.push(performance.now() - started);
  }
  return samples;
};
