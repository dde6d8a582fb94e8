/** Runs a step whose failure must not fail the request: the failure is reported, and the result is undefined. */
export const bestEffort = async <T>(step: Promise<T>, failed: (error: unknown) => void): Promise<T | undefined> =>
  step.catch((error: unknown) => {
    failed(error);
    return undefined;
  });
