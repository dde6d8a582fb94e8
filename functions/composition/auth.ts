import { authSection } from '../config/auth-section.ts';
import { createTokenVerifier } from '../http/token-verifier.ts';
import { part, sectionPart } from './container.ts';

export const authOptions = sectionPart(authSection);

/** One verifier per container: its JWKS cache outlives a single request. */
export const tokenVerifier = part(async (container) => createTokenVerifier(await authOptions(container)));
