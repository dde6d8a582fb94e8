import { createRemoteJWKSet, jwtVerify } from 'jose';

// The floor of a route with no table: an empty handler that verifies a bearer token against a JWKS.
const keys = createRemoteJWKSet(new URL(process.env.JWT_JWKS_URL ?? 'https://issuer.example.com/.well-known/jwks.json'));

export const handler = async (event: { headers?: Record<string, string> }) => {
  const token = event.headers?.authorization?.replace(/^Bearer /, '');
  if (!token) return { statusCode: 401 };
  await jwtVerify(token, keys);
  return { statusCode: 204 };
};
