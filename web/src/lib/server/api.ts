/**
 * The one way the web server talks to the API. Never imported by browser code: the browser only
 * talks to this SvelteKit server (backend-for-frontend), which holds the tokens.
 */
import type { Locale } from '@buurtservice/shared';
import type { ApiError, ApiResult } from '$lib/api/types';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiRequest {
  method: HttpMethod;
  path: string;
  body?: unknown;
  token?: string | null;
  locale: Locale;
  headers?: Record<string, string>;
}

/** Time we wait for the API before telling the user it is unavailable. */
const API_TIMEOUT_MS = 15_000;

function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string';
}

/** The path with a query string; undefined values are left out. */
export function withQuery(path: string, query: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * A call whose answer is not JSON (a PDF): the API's response as it is, or null when the API
 * could not be reached.
 */
export async function callApiRaw(baseUrl: string, request: Omit<ApiRequest, 'body'>): Promise<Response | null> {
  const headers: Record<string, string> = { 'accept-language': request.locale, ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  try {
    return await fetch(new URL(request.path, baseUrl), { method: request.method, headers, signal: AbortSignal.timeout(API_TIMEOUT_MS) });
  } catch (cause) {
    console.error(`API ${request.method} ${request.path} failed:`, cause);
    return null;
  }
}

export async function callApi<T>(baseUrl: string, request: ApiRequest): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': request.locale, ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  if (request.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(new URL(request.path, baseUrl), {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
  } catch (cause) {
    console.error(`API ${request.method} ${request.path} failed:`, cause);
    return { ok: false, status: 503, error: { code: 'not_ready', message: 'API unreachable' }, headers: new Headers() };
  }

  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }

  if (response.ok) return { ok: true, status: response.status, data: payload as T, headers: response.headers };
  const error: ApiError = isApiError(payload) ? payload : { code: response.status >= 500 ? 'internal_error' : 'not_found', message: text };
  return { ok: false, status: response.status, error, headers: response.headers };
}
