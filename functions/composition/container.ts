import type * as z from 'zod';
import type { Environment } from '../config/environment.ts';
import { resolveSection, type SecretReader, type Section } from '../config/section.ts';
import { withhold } from '../observability/secret-values.ts';

/**
 * The composition root's registry: each shared part (a client, the token verifier, a section of the
 * configuration) is built once per container, on first use, and shared by every route that asks. A
 * route imports only the parts it uses, so its bundle carries nothing else.
 */
export interface Container {
  readonly env: Environment;
  readonly readSecret: SecretReader;
  readonly built: Map<Part<unknown>, Promise<unknown>>;
}

export type Part<T> = (container: Container) => Promise<T>;

/** Declares a part: `build` runs once per container, and its result is shared. */
export const part = <T>(build: (container: Container) => Promise<T> | T): Part<T> => {
  const self: Part<T> = (container) => {
    let built = container.built.get(self) as Promise<T> | undefined;
    if (!built) {
      built = Promise.resolve().then(() => build(container));
      container.built.set(self, built);
    }
    return built;
  };
  return self;
};

/** A part that is a section of the configuration; its secrets are withheld from logs for good. */
export const sectionPart = <S extends z.ZodObject, T>(section: Section<S, T>): Part<T> =>
  part(async ({ env, readSecret }) => {
    const options = await resolveSection(section, env, readSecret);
    withhold(...(section.secretsIn?.(options) ?? []));
    return options;
  });

/** A container over an environment; `provide` replaces a part with a ready value (tests, the harness). */
export const createContainer = (env: Environment, readSecret: SecretReader) => {
  const container: Container = { env, readSecret, built: new Map() };
  return Object.assign(container, {
    provide<T>(replaced: Part<T>, value: T) {
      container.built.set(replaced, Promise.resolve(value));
      return this;
    },
  });
};
