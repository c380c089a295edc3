/**
 * A byte count as people read it in a reason: `512 bytes`, `3.5 KiB`, `10.0 MiB`, `1.2 GiB`. One
 * decimal so that a record just over a limit does not print as the limit itself.
 */
export function formatByteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
