import { ApiError } from './api';
import { t } from './i18n';

// The message a person reads for a failed request. `signin`: a 401 means wrong credentials.
export function errorText(e: unknown, context: 'signin' | 'other' = 'other'): string {
  if (!(e instanceof ApiError)) return t('errGeneric', { code: e instanceof Error ? e.message : String(e) });
  const n = e.retryAfter;
  switch (e.status) {
    case 0:
      return t('errNetwork');
    case 401:
      return context === 'signin' ? t('errInvalidCredentials') : t('errSessionExpired');
    case 403:
      return t('errForbidden');
    case 404:
      return t('errNotFound');
    case 429:
      return n != null ? t('errTooManyAttempts', { n }) : t('errTooManyAttemptsLater');
    case 503:
      return n != null ? t('errOverloaded', { n }) : t('errOverloadedLater');
    default:
      return t('errGeneric', { code: `${e.status} ${e.code}` });
  }
}

export function isUnauthenticated(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401;
}

// The same, computed when rendered (so it follows a language switch).
export function errorMsg(e: unknown, context: 'signin' | 'other' = 'other'): () => string {
  return () => errorText(e, context);
}
