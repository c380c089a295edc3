import { DeliveryError } from '../../connector';
import { ManifestUnreadableError } from './export-manifest';

/** What the user must change when the same write will always fail, by error code. */
const FIXES: Record<string, string> = {
  EACCES: 'give the user running Roster write access to it, or point file.directory elsewhere',
  EPERM: 'give the user running Roster write access to it, or point file.directory elsewhere',
  EROFS: 'the file system is read-only; point file.directory at a writable directory',
  ENOTDIR: 'a part of the path is a file, not a directory; point file.directory at a directory',
  EEXIST: 'a file is in the way of the directory; move it, or point file.directory elsewhere',
  EISDIR: 'a directory is in the way of the file; move it',
};

/**
 * A file system failure as a delivery error naming the destination and the path: permission and
 * path problems are not retried (they need the user); the others are (a full disk `ENOSPC`, an I/O
 * error `EIO`, too many open files: a later attempt may succeed, and an unknown failure dead-letters
 * after the retry policy's attempts anyway).
 */
export function fileDeliveryError(destination: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof ManifestUnreadableError)
    return new DeliveryError(`Destination/${destination}: ${error.message}`, { retryable: false, cause: error });
  const { code, path } = error as NodeJS.ErrnoException;
  const where = path === undefined ? '' : ` ${path}`;
  const fix = code === undefined ? undefined : FIXES[code];
  if (fix !== undefined)
    return new DeliveryError(`Destination/${destination} cannot write${where} (${code}): ${fix}`, {
      retryable: false,
      cause: error,
    });
  const reason = error instanceof Error ? error.message : String(error);
  return new DeliveryError(`Destination/${destination} could not write${where}: ${reason}`, {
    retryable: true,
    cause: error,
  });
}
