import type { Cookies } from '@sveltejs/kit';
import type { Locale } from '@buurtservice/shared';
import type { ApiResult, Session } from '$lib/api/types';
import { callApi, callApiRaw, type HttpMethod } from './api';
import { COOKIE_ACCESS, COOKIE_DEVICE, COOKIE_REFRESH, clearSession, refreshSession, storeSession } from './session';

export interface RequestOptions {
  headers?: Record<string, string>;
  /** A public route (login, register): send no token and never refresh first. */
  anonymous?: boolean;
}

export type RefreshOutcome = 'refreshed' | 'signed_out' | 'unavailable';

/**
 * `locals.api`: typed calls to the API on behalf of the person behind this request. Adds the
 * Bearer token and Accept-Language, refreshes an expired access token once, and keeps the
 * session cookies in step with the tokens it holds.
 */
export class ApiClient {
  #access: string | null;
  #refresh: string | null;
  readonly #baseUrl: string;
  readonly #cookies: Cookies;
  readonly #secure: boolean;
  readonly #locale: () => Locale;
  readonly #forwarded: Record<string, string>;

  constructor(options: { baseUrl: string; cookies: Cookies; secure: boolean; locale: () => Locale; clientAddress?: string | null }) {
    this.#baseUrl = options.baseUrl;
    // Every call reaches the API from this server's address; the browser's address lets the API
    // throttle failed logins per person instead of locking everybody out at once.
    this.#forwarded = options.clientAddress ? { 'x-forwarded-for': options.clientAddress } : {};
    this.#cookies = options.cookies;
    this.#secure = options.secure;
    this.#locale = options.locale;
    this.#access = options.cookies.get(COOKIE_ACCESS) ?? null;
    this.#refresh = options.cookies.get(COOKIE_REFRESH) ?? null;
  }

  /** True while this browser holds a session (it may still turn out to be expired). */
  get hasSession(): boolean {
    return this.#access !== null || this.#refresh !== null;
  }

  get refreshToken(): string | null {
    return this.#refresh;
  }

  get deviceToken(): string | null {
    return this.#cookies.get(COOKIE_DEVICE) ?? null;
  }

  get<T>(path: string): Promise<ApiResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResult<T>> {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T>(path: string, body: unknown): Promise<ApiResult<T>> {
    return this.request<T>('PATCH', path, { body });
  }

  put<T>(path: string, body: unknown, options?: RequestOptions): Promise<ApiResult<T>> {
    return this.request<T>('PUT', path, { ...options, body });
  }

  /**
   * A GET whose answer is a file (a PDF): the API's response to pass on to the browser, or null
   * when the API could not be reached. Refreshes an expired token like `request`.
   */
  async download(path: string): Promise<Response | null> {
    const headers = { ...this.#forwarded };
    if (this.#access === null && this.#refresh !== null) await this.refresh();
    const send = () => callApiRaw(this.#baseUrl, { method: 'GET', path, headers, token: this.#access, locale: this.#locale() });
    const first = await send();
    if (first?.status === 401 && this.#access !== null && this.#refresh !== null) {
      await first.body?.cancel();
      this.#access = null;
      if ((await this.refresh()) === 'refreshed') return send();
    }
    return first;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions & { body?: unknown } = {}): Promise<ApiResult<T>> {
    const { body, anonymous = false } = options;
    const headers = { ...this.#forwarded, ...options.headers };
    if (anonymous) return callApi<T>(this.#baseUrl, { method, path, body, headers, locale: this.#locale() });
    if (this.#access === null && this.#refresh !== null) await this.refresh();
    const send = () => callApi<T>(this.#baseUrl, { method, path, body, headers, token: this.#access, locale: this.#locale() });
    const first = await send();
    // The token may have been revoked or expired early (clock skew): refresh once and retry.
    if (first.status === 401 && this.#access !== null && this.#refresh !== null) {
      this.#access = null;
      if ((await this.refresh()) === 'refreshed') return send();
    }
    return first;
  }

  /** Revokes the session at the API and forgets it in this browser, whatever the API answers. */
  async logout(): Promise<void> {
    const refreshToken = this.#refresh;
    this.endSession();
    if (refreshToken === null) return;
    const result = await callApi<void>(this.#baseUrl, { method: 'POST', path: '/auth/logout', body: { refreshToken }, headers: this.#forwarded, locale: this.#locale() });
    if (!result.ok) console.warn(`logout at the API failed: ${result.status} ${result.error.code}`);
  }

  /** Trades the refresh token for a new session; on rejection the session in this browser ends. */
  async refresh(): Promise<RefreshOutcome> {
    const refreshToken = this.#refresh;
    if (refreshToken === null) return 'signed_out';
    const result = await refreshSession(this.#baseUrl, refreshToken, this.#locale(), this.#forwarded);
    if (result.ok) {
      this.startSession(result.data);
      return 'refreshed';
    }
    if (result.status >= 500) return 'unavailable';
    this.endSession();
    return 'signed_out';
  }

  /** After a successful login, registration or refresh. */
  startSession(session: Session): void {
    this.#access = session.accessToken;
    this.#refresh = session.refreshToken;
    storeSession(this.#cookies, this.#secure, session);
  }

  endSession(): void {
    this.#access = null;
    this.#refresh = null;
    clearSession(this.#cookies, this.#secure);
  }
}
