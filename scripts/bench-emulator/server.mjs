// The throughput baseline for the aadx emulator: panva/node-oidc-provider issuing client-credentials access
// tokens as RS256-signed JWTs (resource indicators with accessTokenFormat "jwt"), so that both servers sign one
// RS256 JWT per token. It listens on 127.0.0.1 on a random port (or PORT) and prints one JSON line:
// {"token_endpoint": "...", "client_id": "...", "client_secret": "...", "scope": "...", "workers": N}.
//
// Usage: node server.mjs            WORKERS=N runs a cluster of N worker processes sharing the port; the
//                                   default, 1, is one plain process (node's usual deployment). scripts/bench
//                                   runs both 1 and one per CPU.
// Stops when stdin closes.
import cluster from 'node:cluster';
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

const workers = Number(process.env.WORKERS || 1);
const client = { client_id: 'bench-daemon', client_secret: 'bench-secret-value-0123456789' };
const resource = 'urn:aadx:bench-api';
const scope = 'api:read';

// serve runs oidc-provider on the port with the key, and resolves once it listens.
function serve(port, jwk) {
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{ ...client, token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'],
      redirect_uris: [], response_types: [], scope }],
    scopes: [scope],
    jwks: { keys: [jwk] },
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope, audience: resource, accessTokenTTL: 3600,
          accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  });
  provider.proxy = false;
  const server = http.createServer(provider.callback());
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

const announce = (port) => process.stdout.write(`${JSON.stringify({ token_endpoint: `http://127.0.0.1:${port}/token`, ...client, scope, resource, workers })}\n`);

// One signing key for every worker, so that any worker's tokens verify with the same JWKS.
function newJWK() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
}

if (workers === 1) {
  // One process, no cluster: node's usual deployment, and what a start-up measurement should start.
  const server = await serve(Number(process.env.PORT || 0), newJWK());
  announce(server.address().port);
  const stop = () => process.exit(0);
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else if (cluster.isPrimary) {
  const jwk = newJWK();
  const server = http.createServer();
  server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    const { port } = server.address();
    server.close(); // the workers take the port over
    let ready = 0;
    for (let i = 0; i < workers; i++) {
      const w = cluster.fork({ BENCH_PORT: String(port), BENCH_JWK: JSON.stringify(jwk) });
      w.on('message', () => {
        if (++ready === workers) announce(port);
      });
    }
  });
  const stop = () => { for (const w of Object.values(cluster.workers)) w.kill(); process.exit(0); };
  process.stdin.on('end', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
} else {
  await serve(Number(process.env.BENCH_PORT), JSON.parse(process.env.BENCH_JWK));
  process.send('ready');
}
