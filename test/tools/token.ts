/**
 * `npm run token`: prints a token the embedded dev issuer's JWKS verifies, signed with the key in
 * .local/dev-issuer (created when missing), so it works whether or not the API is running.
 */
import { commandLine, fail } from './command-line.ts';
import { loadDevSigner } from '../doubles/dev-issuer.ts';
import { devIssuerKeysDir } from './local-paths.ts';

const USAGE = `usage: npm run -s token -- [--scope <scopes>] [--tenant <id>] [--ttl <seconds>] [--subject <sub>]

  --scope    space-separated permissions (default: discovery:write)
  --tenant   the tenant_id claim (default: none; the service then uses tenant "default" unless MULTI_TENANT=true)
  --ttl      lifetime in seconds (default: 3600; --ttl=-60 gives an expired token)
  --subject  the sub claim (default: dev-user)`;

const { values: options } = commandLine(USAGE, {
  options: {
    scope: { type: 'string', default: 'discovery:write' },
    tenant: { type: 'string' },
    ttl: { type: 'string', default: '3600' },
    subject: { type: 'string', default: 'dev-user' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const ttl = /^-?\d+$/.test(options.ttl) ? Number(options.ttl) : fail(`--ttl must be a whole number of seconds, not "${options.ttl}"`);
if (process.env.JWT_JWKS_URL?.trim() || process.env.JWT_SECRET?.trim()) {
  process.stderr.write('note: JWT_JWKS_URL or JWT_SECRET is set, so npm start uses that issuer and will refuse this dev token\n');
}

const signer = await loadDevSigner(devIssuerKeysDir());
process.stdout.write(
  `${await signer.sign({ scope: options.scope, expiresIn: ttl, subject: options.subject, ...(options.tenant ? { tenantId: options.tenant } : {}) })}\n`,
);
