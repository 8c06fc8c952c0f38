// No credential may reach an output file: strip userinfo from URLs and the
// configured password wherever it would appear.
import type { Env } from '../config.ts';

const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]*@/gi;

export function stripUserinfo(url: string): string {
  return url.replace(USERINFO, '$1');
}

/** A function that scrubs text of credentials known from the env. */
export function redactor(env: Env | undefined): (text: string) => string {
  const secrets: string[] = [];
  const pw = env && env.PARTY_PASSWORD;
  // Very short values would blank out ordinary text; those are not secrets anyone relies on.
  if (typeof pw === 'string' && pw.length >= 4) secrets.push(pw);
  return (text: string): string => {
    let out = text.replace(USERINFO, '$1');
    for (const s of secrets) out = out.split(s).join('***');
    return out;
  };
}
