import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { env } from '@/lib/config/env';
import { DELIVERY_TIMEOUT_MS } from './event-types';
import { guardedLookup, isForbiddenAddress } from './ssrf-guard';

export type PostOutcome = { statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null };

const EXCERPT_BYTES = 1024;

/**
 * One HTTP POST of a signed webhook: 15 s timeout for the whole exchange, redirects not followed
 * (a 3xx is a failure), only the first KB of the response kept, every address checked by the
 * SSRF guard as the connection is made.
 */
export function postWebhook(url: string, body: string, headers: Record<string, string>): Promise<PostOutcome> {
  const started = performance.now();
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const done = (o: Omit<PostOutcome, 'latencyMs'>) => resolve({ ...o, latencyMs: Math.round(performance.now() - started) });
    if (net.isIP(host) && isForbiddenAddress(host) && !env().webhookAllowPrivateTargets) {
      return done({ statusCode: null, responseExcerpt: null, error: `refused: ${host} is a private, loopback or link-local address` });
    }
    const lib = u.protocol === 'https:' ? https : http;
    const req = lib.request(
      u,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'forgetme-webhooks/1', ...headers, 'content-length': Buffer.byteLength(body) },
        lookup: guardedLookup,
        timeout: DELIVERY_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(c.subarray(0, EXCERPT_BYTES - size));
          size += c.length;
        });
        res.on('end', () => done({ statusCode: res.statusCode ?? null, responseExcerpt: Buffer.concat(chunks).toString('utf8'), error: null }));
        res.on('error', (err) => done({ statusCode: res.statusCode ?? null, responseExcerpt: null, error: err.message }));
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no complete response within ${DELIVERY_TIMEOUT_MS / 1000} s`)), DELIVERY_TIMEOUT_MS);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`no response within ${DELIVERY_TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => done({ statusCode: null, responseExcerpt: null, error: err.message }));
    req.end(body);
  });
}
