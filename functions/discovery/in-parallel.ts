/** Runs `task` over `items`, at most `limit` at a time; resolves when all have settled or thrown. */
export const inParallel = async <T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> => {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(limit, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
};
