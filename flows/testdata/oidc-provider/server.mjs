// A third-party OpenID provider (panva/node-oidc-provider) for the flows interop tests. It listens on
// 127.0.0.1 on a random port and prints one JSON line: {"issuer": "...", "port": N}.
//
// Usage: node server.mjs '<config JSON>'   config: {"secret": "...", "jwk": {public RSA JWK}}
// Clients: "aadx-secret" (client_secret_post, client credentials and refresh),
//          "aadx-jwt" (private_key_jwt with the given key), "aadx-public" (native: PKCE and device code).
// Sign-in uses oidc-provider's development interactions: any login, any password. Every requested scope is
// granted without a consent page, so a scripted browser only has to log in.
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(process.argv[2] || '{}');

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: 'aadx-secret',
        client_secret: config.secret,
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
        redirect_uris: ['http://127.0.0.1/callback'],
        response_types: ['code'],
        scope: 'openid offline_access api:read',
      },
      {
        client_id: 'aadx-jwt',
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [config.jwk] },
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
        scope: 'api:read',
      },
      {
        client_id: 'aadx-public',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        redirect_uris: ['http://127.0.0.1/callback'],
        response_types: ['code'],
        scope: 'openid offline_access profile',
      },
    ],
    scopes: ['openid', 'offline_access', 'profile', 'api:read'],
    clientAuthMethods: ['client_secret_post', 'client_secret_basic', 'private_key_jwt', 'none'],
    enabledJWA: { clientAuthSigningAlgValues: ['PS256', 'RS256'] },
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      clientCredentials: { enabled: true },
    },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, name: sub }) }),
    // Grant whatever was asked, so the only interaction is the login form.
    loadExistingGrant: async (ctx) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope(ctx.oidc.params.scope || 'openid');
      grant.addOIDCClaims(['sub', 'name']);
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  });
  provider.proxy = false;
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer, port })}\n`);
});

// Stop when the test closes stdin or ends the process.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
