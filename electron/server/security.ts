/** Serve-mode request checks: the session token, the Host header and the Origin (DNS rebinding). */
import * as crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'ds_token';

/** @returns a fresh random token for one serve session. */
export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** @returns the token a request presents, from the `token` query parameter or the session cookie. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  const q = url.searchParams.get('token');
  if (q) return q;
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Checks the Host header names this server (a rebinding attack sends another host name).
 * @param allowedHosts - host:port values this server answers to
 */
export function hostAllowed(req: IncomingMessage, allowedHosts: Set<string>): boolean {
  const host = (req.headers.host ?? '').toLowerCase();
  return allowedHosts.has(host);
}

/** An Origin header, when present, must be this server's own. */
export function originAllowed(req: IncomingMessage, allowedHosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && allowedHosts.has(u.host.toLowerCase());
  } catch {
    return false;
  }
}
