const k6 = () => globalThis.__k6;
export function get(url, params) {
  k6().requests.push({ method: 'GET', url, params });
  return k6().respond({ method: 'GET', url, params });
}
export function request(method, url, body, params) {
  k6().requests.push({ method, url, body, params });
  return k6().respond({ method, url, body, params });
}
export function post(url, body, params) { return request('POST', url, body, params); }
export function put(url, body, params) { return request('PUT', url, body, params); }
export function patch(url, body, params) { return request('PATCH', url, body, params); }
export function del(url, body, params) { return request('DELETE', url, body, params); }
export function options(url, body, params) { return request('OPTIONS', url, body, params); }
export default { get, request, post, put, patch, del, options };
