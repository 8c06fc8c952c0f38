// Where a read's credentials travel. Pure: no k6 import.
//
// Go's HTTP client (k6's) turns `http://user:password@host` into the
// `Authorization: Basic ...` header itself, so a read sent to such a URL
// needs no `headers` param: k6 then reads no params object per request but
// the timeout (docs/weight.md, "Weight per VU"). k6 masks the userinfo in the `url`
// tag (`http://****:****@host`) and Go strips the password from its errors.
// k6's mask counts decoded characters in the raw URL, so only credentials
// that need no percent-encoding go into it; any other keeps the header.

/** Characters a URL's userinfo carries as they are (RFC 3986 unreserved). */
const PLAIN = /^[A-Za-z0-9._~-]+$/;

/**
 * `baseUrl` with the credentials in it (`http://user:password@host:port/path`),
 * or null when they must travel in the Authorization header: a user or
 * password that would need percent-encoding (or is empty), or a base URL
 * that is not plain http(s) or already carries userinfo.
 */
export function credentialedBase(baseUrl: string, user: string, password: string): string | null {
  if (!PLAIN.test(user) || !PLAIN.test(password)) return null;
  const m = /^(https?:\/\/)([^/?#]*)(.*)$/i.exec(baseUrl);
  if (!m || m[2]!.includes('@') || m[2] === '') return null;
  return `${m[1]}${user}:${password}@${m[2]}${m[3]}`;
}
