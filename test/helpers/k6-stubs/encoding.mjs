export function b64encode(s) { return Buffer.from(String(s), 'utf8').toString('base64'); }
export function b64decode(s) { return Buffer.from(String(s), 'base64').toString('utf8'); }
export default { b64encode, b64decode };
