import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientAddress, networkOf, normaliseAddress } from './client-address';

test('with no trusted proxy the TCP peer is the client, whatever X-Forwarded-For says', () => {
  assert.equal(clientAddress('203.0.113.9', '10.0.0.1, 10.0.0.2', 0), '203.0.113.9');
  assert.equal(clientAddress('::ffff:203.0.113.9', undefined, 0), '203.0.113.9');
});

test('with N trusted proxies the client is the entry each proxy vouches for, never one the client wrote', () => {
  // client forged "6.6.6.6"; the load balancer appended the address it saw (198.51.100.4) and connected from 10.0.0.5.
  assert.equal(clientAddress('10.0.0.5', '6.6.6.6, 198.51.100.4', 1), '198.51.100.4');
  // Two proxies: the edge appended the client, the inner one appended the edge.
  assert.equal(clientAddress('10.0.0.5', '6.6.6.6, 198.51.100.4, 10.0.0.9', 2), '198.51.100.4');
  // Fewer hops than configured: the leftmost is all there is.
  assert.equal(clientAddress('10.0.0.5', undefined, 3), '10.0.0.5');
});

test('anything that is not an IP address is "unknown"', () => {
  assert.equal(clientAddress('10.0.0.5', 'evil<script>, 1.2.3.4', 2), 'unknown');
  assert.equal(normaliseAddress(''), 'unknown');
  assert.equal(normaliseAddress('2001:DB8::1'), '2001:db8::1');
});

test('networks: an IPv4 /24 and an IPv6 /64', () => {
  assert.equal(networkOf('203.0.113.9'), '203.0.113.0/24');
  assert.equal(networkOf('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
  assert.equal(networkOf('2001:db8::1'), '2001:db8:0:0::/64');
  assert.equal(networkOf('::1'), '0:0:0:0::/64');
  assert.equal(networkOf('2001:db8:1:2::'), '2001:db8:1:2::/64');
  assert.equal(networkOf('unknown'), 'unknown');
});
