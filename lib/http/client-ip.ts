/**
 * The client's address for rate limiting: the first X-Forwarded-For hop (set by Next.js or the
 * load balancer in front of it), else X-Real-IP, else "unknown".
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0]?.trim();
  return (forwarded || headers.get('x-real-ip') || 'unknown').slice(0, 64);
}
