// Types for the k6/http stand-in (enough for the benchmarks and tests).
export declare function get(url: string, params?: object): { status: number; error_code: number };
export declare function request(method: string, url: string, body?: unknown, params?: object): { status: number; error_code: number };
declare const http: { get: typeof get; request: typeof request };
export default http;
