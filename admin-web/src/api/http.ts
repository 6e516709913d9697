import { currentLocale, i18n } from '@/locales';
import { STORAGE_KEYS, readStorage } from '@/utils/storage';

/** One entry of a 422 VALIDATION_FAILED answer. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** The server's error body: `{ error: { code, message, details } }`. */
interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Codes made up on this side when there is no server answer to parse. */
export const CLIENT_ERROR_CODES = {
  network: 'NETWORK_ERROR',
  badResponse: 'BAD_RESPONSE',
} as const;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** details.fields of a VALIDATION_FAILED answer, keyed by the last segment of each path. */
  fieldErrors(): Record<string, string> {
    const fields = Array.isArray(this.details.fields) ? (this.details.fields as Partial<FieldError>[]) : [];
    const byField: Record<string, string> = {};
    for (const field of fields) {
      if (typeof field.path !== 'string' || typeof field.message !== 'string') continue;
      const key = field.path.split('.').pop() ?? field.path;
      byField[key] = byField[key] ? `${byField[key]}; ${field.message}` : field.message;
    }
    return byField;
  }

  /** details.fields keyed by the whole path (`custom.skin_type`, `options.1.value`), for forms with nested fields. */
  fieldErrorsByPath(): Record<string, string> {
    const fields = Array.isArray(this.details.fields) ? (this.details.fields as Partial<FieldError>[]) : [];
    const byPath: Record<string, string> = {};
    for (const field of fields) {
      if (typeof field !== 'object' || field === null) continue;
      if (typeof field.path !== 'string' || typeof field.message !== 'string') continue;
      byPath[field.path] = byPath[field.path] ? `${byPath[field.path]}; ${field.message}` : field.message;
    }
    return byPath;
  }
}

export function isApiError(error: unknown, code?: string): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

interface HttpHooks {
  /** A request that carried a token got 401: the session is gone. */
  onUnauthorized: (error: ApiError) => void;
  /** 403 PASSWORD_CHANGE_REQUIRED: the user must change the initial password first. */
  onPasswordChangeRequired: (error: ApiError) => void;
}

const hooks: HttpHooks = {
  onUnauthorized: () => undefined,
  onPasswordChangeRequired: () => undefined,
};

/** main.ts wires the session and router reactions here, which keeps this file free of them. */
export function configureHttp(next: Partial<HttpHooks>): void {
  Object.assign(hooks, next);
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  /** sent as JSON, or as it is when a Blob (a File), with `contentType` */
  body?: unknown;
  /** the Content-Type of a Blob body */
  contentType?: string;
  signal?: AbortSignal;
  /** false for the login endpoints: never send a (possibly stale) token there. */
  auth?: boolean;
  /** extra request headers, e.g. an Idempotency-Key */
  headers?: Record<string, string>;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function parseError(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    const details = error.details && typeof error.details === 'object' ? (error.details as Record<string, unknown>) : {};
    return new ApiError(response.status, error.code, error.message, details);
  }
  // A proxy's HTML error page or an empty body: say what we know.
  return new ApiError(
    response.status,
    `HTTP_${response.status}`,
    i18n.global.t('common.httpError', { status: response.status }),
  );
}

/** Sends the request with the token and language; a non-2xx answer becomes an ApiError (after the hooks ran). */
async function send(method: string, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const token = options.auth === false ? null : readStorage(STORAGE_KEYS.token);
  const headers: Record<string, string> = {
    Accept: accept,
    'Accept-Language': currentLocale(),
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.headers) Object.assign(headers, options.headers);
  // A file goes up as the raw request body (the server streams it to disk), anything else as JSON.
  const raw = options.body instanceof Blob;
  if (options.body !== undefined) headers['Content-Type'] = raw ? (options.contentType ?? 'application/octet-stream') : 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : raw ? (options.body as Blob) : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'same-origin',
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, CLIENT_ERROR_CODES.network, i18n.global.t('common.networkError'));
  }

  if (!response.ok) {
    const error = await parseError(response);
    // A 401 without a token is an answer to a login attempt, not a lost session.
    if (response.status === 401 && token) hooks.onUnauthorized(error);
    if (response.status === 403 && error.code === 'PASSWORD_CHANGE_REQUIRED') hooks.onPasswordChangeRequired(error);
    throw error;
  }
  return response;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, CLIENT_ERROR_CODES.badResponse, i18n.global.t('common.unknownError'));
  }
}

/** A file the server sent, with the name from its Content-Disposition. */
export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** The filename of a Content-Disposition header; RFC 5987 `filename*=UTF-8''...` wins (Chinese names). */
export function dispositionFilename(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // a malformed escape: fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = plain ? (plain[2] ?? plain[1]).trim() : '';
  return percentDecoded(name) || fallback;
}

/** Some answers percent-encode a Chinese name in the plain `filename=` (会员导入模板.xlsx); decode it when it reads so. */
function percentDecoded(name: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(name)) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * GETs a file with the bearer token (a plain link cannot carry it). Errors arrive as JSON
 * like any other request's.
 */
export async function download(path: string, options: Omit<RequestOptions, 'body'> = {}): Promise<DownloadedFile> {
  const response = await send('GET', path, options, '*/*');
  const fallback = path.split('/').pop() || 'download';
  return { blob: await response.blob(), filename: dispositionFilename(response.headers.get('Content-Disposition'), fallback) };
}

/** Hands a downloaded file to the browser's save dialog. */
export function saveFile(file: DownloadedFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Some browsers read the URL after click() returns; give them a moment before revoking it.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const http = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  /** POSTs a file as the raw request body. */
  upload: <T>(path: string, file: Blob, contentType: string, options?: Omit<RequestOptions, 'body' | 'contentType'>) =>
    request<T>('POST', path, { ...options, body: file, contentType }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};
