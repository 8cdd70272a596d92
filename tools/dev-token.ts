// Prints a development access token: `npm run token -- operator 320106 [--provider <id>] [--sub <user>]`.
// Until the gateway's login exists, this is how a person tries the APIs by hand.
import { DEV_TOKEN_SETTINGS, signToken, type Role } from '@linli/auth';
import { ROLES } from '@linli/contracts';

const [role, jurisdiction = '32', ...rest] = process.argv.slice(2);
if (!role || !(ROLES as readonly string[]).includes(role) || role === 'system') {
  process.stderr.write(
    `usage: npm run token -- <${ROLES.filter((r) => r !== 'system').join('|')}> [jurisdiction] [--provider id] [--sub user]\n`,
  );
  process.exit(2);
}
const option = (name: string) => {
  const index = rest.indexOf(`--${name}`);
  return index >= 0 ? rest[index + 1] : undefined;
};
const providerId = option('provider');
const token = signToken(
  {
    sub: option('sub') ?? `${role}-${jurisdiction}`,
    roles: [role as Role],
    jurisdiction,
    ...(providerId ? { providerId } : {}),
  },
  {
    secret: process.env['AUTH_JWT_SECRET'] ?? DEV_TOKEN_SETTINGS.secret,
    issuer: process.env['AUTH_JWT_ISSUER'] ?? DEV_TOKEN_SETTINGS.issuer,
  },
  12 * 3600,
);
process.stdout.write(`${token}\n`);
