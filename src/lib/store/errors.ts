// Storage failures as errors a person can act on. IndexedDB reports them as DOMExceptions
// whose names (QuotaExceededError, InvalidStateError, …) say nothing about what to do.

export const STORAGE_FULL = 'Browser storage is full: delete old runs or free disk space; nothing was lost.';

/** A failed storage operation; `name` keeps the browser's error name, `message` says what to do. */
export class StoreError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function nameOf(e: unknown): string {
  return typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string' ? e.name : 'Error';
}

function messageOf(e: unknown): string {
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string' && e.message) return e.message;
  return String(e);
}

// Firefox used to name a full quota NS_ERROR_DOM_QUOTA_REACHED.
const isQuota = (name: string) => name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';

/** `e` as a StoreError; `doing` says what was being done ("saving a step"). A StoreError passes through. */
export function storageError(e: unknown, doing: string): StoreError {
  if (e instanceof StoreError) return e;
  const name = nameOf(e);
  if (isQuota(name)) return new StoreError('QuotaExceededError', STORAGE_FULL);
  if (name === 'VersionError')
    return new StoreError(name, 'The saved data was written by a newer version of this app. Reload the page to get the newest version.');
  if (name === 'SecurityError')
    return new StoreError(name, `Browser storage is not available (${messageOf(e)}). Allow this site to store data, or leave private browsing, then reload.`);
  return new StoreError(name, `Browser storage failed while ${doing}: ${messageOf(e)}. Reload the page to try again; every saved step is kept.`);
}

/** Runs `op`; any failure becomes a StoreError. */
export async function guard<T>(doing: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw storageError(e, doing);
  }
}
