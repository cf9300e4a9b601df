/**
 * The web server: Next.js's request handler behind a plain Node HTTP server, so that the client's
 * address comes from the TCP connection. `next start` keeps any X-Forwarded-For a client sends,
 * which would let a client choose the address that sign-in throttles and sign-up limits count;
 * here X-Forwarded-For is replaced by the one address worked out from the peer and
 * FORGETME_TRUSTED_PROXIES (lib/http/client-address.ts), and with no trusted proxy the other
 * forwarding headers a client may send are dropped. Written by hand: it is the 30 lines of
 * Next.js's documented custom-server pattern.
 *
 *   node --import tsx server.ts [-p PORT] [-H HOSTNAME]      (PORT and HOSTNAME also from the environment)
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import next from 'next';
import { env } from './lib/config/env';
import { clientAddress } from './lib/http/client-address';

// For the Next.js this process hosts (lib/runtime/start-server-runtime.ts), before anything reads the environment.
process.env.FORGETME_SERVER = '1';
const { values } = parseArgs({ options: { port: { type: 'string', short: 'p' }, hostname: { type: 'string', short: 'H' } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
// `-p` counts as PORT: the public URL (links in e-mails, the certificate's QR code) follows it unless FORGETME_PUBLIC_URL is set.
process.env.PORT = String(port);
const hostname = values.hostname ?? process.env.HOSTNAME ?? '0.0.0.0';
const trustedProxies = env().trustedProxies;

const app = next({ dev: false, dir: import.meta.dirname, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  const forwarded = req.headers['x-forwarded-for'];
  req.headers['x-forwarded-for'] = clientAddress(req.socket.remoteAddress, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, trustedProxies);
  delete req.headers['x-real-ip'];
  if (trustedProxies === 0) {
    delete req.headers['x-forwarded-proto'];
    delete req.headers['x-forwarded-host'];
    delete req.headers['x-forwarded-port'];
  }
  void handle(req, res);
});
server.listen(port, hostname, () => console.log(`forgetme listening on http://${hostname === '0.0.0.0' ? 'localhost' : hostname}:${port}`));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
