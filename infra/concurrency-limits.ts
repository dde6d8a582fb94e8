import { LAMBDA_FUNCTIONS } from '../functions/lambda-functions.ts';

/** Lambda keeps this much of an account's concurrency unreserved: reservations may only take the rest. */
export const UNRESERVED_MINIMUM = 100;
/** The default quota of an established account; new accounts may start far lower (10). */
export const DEFAULT_ACCOUNT_LIMIT = 1_000;

/**
 * Whether the reservation can be made: every function reserves `reservedConcurrency`, and all of
 * them together must leave 100 unreserved in the account (its quota if given, else at most 1000).
 * A reservation over it fails the deployment half way, with the functions already replaced.
 */
export const reservedConcurrencyProblems = (settings: {
  reservedConcurrency?: number | undefined;
  accountConcurrencyLimit?: number | undefined;
  createProvisionedConcurrency?: number | undefined;
}) => {
  const { reservedConcurrency, accountConcurrencyLimit, createProvisionedConcurrency } = settings;
  if (reservedConcurrency === undefined) return [];
  // Lambda refuses to keep more environments initialised than the function may ever run.
  if (createProvisionedConcurrency !== undefined && createProvisionedConcurrency > reservedConcurrency) {
    return [
      `createProvisionedConcurrency: ${createProvisionedConcurrency} is more than reservedConcurrency (${reservedConcurrency}) lets the function run`,
    ];
  }
  const total = reservedConcurrency * LAMBDA_FUNCTIONS.length;
  const limit = accountConcurrencyLimit ?? DEFAULT_ACCOUNT_LIMIT;
  const available = limit - UNRESERVED_MINIMUM;
  if (total <= available) return [];
  const most = Math.floor(Math.max(0, available) / LAMBDA_FUNCTIONS.length);
  const quota = accountConcurrencyLimit === undefined ? `at most ${limit} (the default quota)` : `${limit} (accountConcurrencyLimit)`;
  return [
    `reservedConcurrency: ${reservedConcurrency} for each of the ${LAMBDA_FUNCTIONS.length} functions reserves ${total}, but an account quota of ${quota} leaves ${Math.max(0, available)} to reserve once Lambda keeps ${UNRESERVED_MINIMUM} unreserved; ${most > 0 ? `use ${most} or less` : 'leave it unset'}, or raise the quota and set accountConcurrencyLimit`,
  ];
};
