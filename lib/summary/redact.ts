// No credential may reach an output: strip userinfo from URLs and the
// configured password wherever it would appear. Pure and tiny: the config
// check, the cold init part, the summary and the Node tools all use it.
import type { Env } from '../config.ts';

const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@"'<>]*@/gi;
// user:password@ -> the user stays (it says which account), the password goes.
const PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s@"'<>:]*)(:[^/\s@"'<>]*)?@/gi;

export function stripUserinfo(url: string): string {
  return url.replace(USERINFO, '$1');
}

/**
 * Text with every URL's password replaced by `***`
 * (`http://admin:secret@h` -> `http://admin:***@h`). A userinfo without a
 * colon may itself be a token, so it is masked whole (`http://***@h`).
 */
export function maskCredentials(text: string): string {
  return text.replace(PASSWORD, (_m, scheme: string, user: string, pw: string | undefined) =>
    pw === undefined ? `${scheme}***@` : `${scheme}${user}:***@`);
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
