import type * as z from 'zod';
import type { SecretReader } from '../adapters/secrets-manager.ts';
import { ConfigError, invalid, MIN_SECRET_LENGTH, presentVariables, problemsOf, type Environment } from './environment.ts';

export type { SecretReader };

/** Secret values already read, by the name of the variable that holds the ARN. */
export type SecretValues = Record<string, string>;

/**
 * One part of the configuration: the variables it reads (a zod schema), which of them name secrets
 * to read at cold start, and the options it builds. A function reads only the sections it uses.
 */
export interface Section<S extends z.ZodObject, T> {
  schema: S;
  /** The variables, among those set, whose value is a secret ARN to read. */
  secretArns?: (parsed: z.output<S>) => string[];
  build(parsed: z.output<S>, secretOf: (variable: string) => string): T;
  /** Secret values inside the options, withheld from every log line for the life of the container. */
  secretsIn?: (options: T) => string[];
}

export const defineSection = <S extends z.ZodObject, T>(section: Section<S, T>): Section<S, T> => section;

/** Problems with the environment of one section, without reading any secret. */
export const problemsWith = (section: Section<z.ZodObject, unknown>, env: Environment): string[] => {
  const parsed = section.schema.safeParse(presentVariables(env));
  return parsed.success ? [] : problemsOf(parsed.error);
};

export const parseSection = <S extends z.ZodObject, T>(section: Section<S, T>, env: Environment): z.output<S> => {
  const parsed = section.schema.safeParse(presentVariables(env));
  if (!parsed.success) throw new ConfigError(`Invalid configuration: ${problemsOf(parsed.error).join('; ')}`);
  return parsed.data;
};

/** Builds a section from secret values read beforehand (`secrets`); a value not read is an error. */
export const buildSection = <S extends z.ZodObject, T>(section: Section<S, T>, parsed: z.output<S>, secrets: SecretValues): T =>
  section.build(parsed, (variable) => {
    const value = secrets[variable];
    if (value === undefined) throw invalid(variable, 'the secret has not been read');
    return value;
  });

/** Reads the secret one variable names; errors name the variable and the error's name only. */
export const readSecretVariable = async (variable: string, arn: string, read: SecretReader): Promise<string> => {
  try {
    return await read(arn);
  } catch (error) {
    // The error's name only: an SDK message may quote more than we want in a log.
    throw invalid(variable, `the secret could not be read (${(error as Error)?.name ?? 'error'})`);
  }
};

/** A secret that keys an HMAC: too short a value is refused without quoting it. */
export const longSecretOf = (variable: string, value: string): string => {
  if (value.length < MIN_SECRET_LENGTH) throw invalid(variable, `the secret must be at least ${MIN_SECRET_LENGTH} characters`);
  return value;
};

/** Cold start for one section: the environment first, then each secret it names, once. */
export const resolveSection = async <S extends z.ZodObject, T>(
  section: Section<S, T>,
  env: Environment,
  read: SecretReader,
): Promise<T> => {
  const parsed = parseSection(section, env);
  const secrets: SecretValues = {};
  const variables = section.secretArns?.(parsed) ?? [];
  const values = parsed as Record<string, string>;
  await Promise.all(
    variables.map(async (variable) => {
      secrets[variable] = await readSecretVariable(variable, values[variable]!, read);
    }),
  );
  return buildSection(section, parsed, secrets);
};
