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
    case 409:
      return e.code === 'already_marked' ? t('errAlreadyMarked') : t('errGeneric', { code: `409 ${e.code}` });
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

// The message for a refused upload of the file `name` (docs/api.md, "Files").
export function uploadErrorMsg(e: unknown, name: string): () => string {
  return () => {
    if (!(e instanceof ApiError)) return errorText(e);
    if (e.code === 'quota_exceeded') return t('errQuota', { name });
    if (e.status === 413) return t('errFileTooLarge', { name });
    if (e.status === 415) return t('errFileType', { name });
    if (e.code === 'empty_file') return t('errFileEmpty', { name });
    if (e.status === 400 && e.fields.name) return t('errFileName', { name });
    if (e.status === 408 || e.code === 'upload_interrupted' || e.status === 0) return t('errUploadCut', { name });
    return errorText(e);
  };
}
