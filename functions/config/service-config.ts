import type * as z from 'zod';
import { authSection } from './auth-section.ts';
import { cursorSection } from './cursor-section.ts';
import { dynamodbSection } from './dynamodb-section.ts';
import { ConfigError, type Environment } from './environment.ts';
import { fetcherSection } from './fetcher-section.ts';
import { idempotencySection } from './idempotency-section.ts';
import { queueSection } from './queue-section.ts';
import { requestSection } from './request-section.ts';
import {
  buildSection,
  parseSection,
  problemsWith,
  readSecretVariable,
  type SecretReader,
  type Section,
  type SecretValues,
} from './section.ts';
import { syncSection } from './sync-section.ts';

/** Every section, by the name it has in Config. */
const SECTIONS = {
  fetcher: fetcherSection,
  auth: authSection,
  cache: dynamodbSection,
  idempotency: idempotencySection,
  request: requestSection,
  sync: syncSection,
  queue: queueSection,
  cursor: cursorSection,
} as const;

type Sections = typeof SECTIONS;
// Sections erased to one type, so they can be walked together.
type AnySection = Section<z.ZodObject, unknown>;

/** The whole service's configuration: what every function together reads. Each function reads only its sections. */
export type Config = { [K in keyof Sections]: Sections[K] extends Section<z.ZodObject, infer T> ? T : never };

const entries = () => Object.entries(SECTIONS) as [keyof Sections, AnySection][];

/** Problems with every section at once, so one message names every bad variable. */
type Parsed = Record<keyof Sections, Record<string, unknown>>;

/** Checks an environment without reading any secret: every section, or only those named. */
export const checkEnvironment = (
  env: Environment,
  names: readonly (keyof Sections)[] = Object.keys(SECTIONS) as (keyof Sections)[],
): void => {
  const problems = names.flatMap((name) => problemsWith(SECTIONS[name] as AnySection, env));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${[...new Set(problems)].join('; ')}`);
};

/** Problems with every section at once, so one message names every bad variable. */
const parseAll = (env: Environment): Parsed => {
  checkEnvironment(env);
  return Object.fromEntries(entries().map(([name, section]) => [name, parseSection(section, env)])) as Parsed;
};

/** The variables a section may read (its schema's keys), so a function's environment holds no others. */
export const variablesOf = (name: keyof Sections): string[] => Object.keys(SECTIONS[name].schema.shape);

/** The whole configuration, synchronously, with secrets named by ARN already read into `secrets`. */
export const loadConfig = (env: Environment, secrets: SecretValues = {}): Config => {
  const parsed = parseAll(env);
  return Object.fromEntries(entries().map(([name, section]) => [name, buildSection(section, parsed[name], secrets)])) as Config;
};

/** Cold start for the whole service: the environment first, then each secret any section names, once. */
export const resolveConfig = async (read: SecretReader, env: Environment): Promise<Config> => {
  const parsed = parseAll(env);
  const secrets: SecretValues = {};
  const variables = [...new Set(entries().flatMap(([name, section]) => section.secretArns?.(parsed[name]) ?? []))];
  await Promise.all(
    variables.map(async (variable) => {
      secrets[variable] = await readSecretVariable(variable, env[variable]!.trim(), read);
    }),
  );
  return loadConfig(env, secrets);
};

/** Every secret value in a configuration, so the log scrubber can withhold them for good. */
export const secretsOf = (config: Config): string[] => entries().flatMap(([name, section]) => section.secretsIn?.(config[name]) ?? []);
