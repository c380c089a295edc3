/**
 * Whether a config file is the `manifest.json` a file destination writes next to its exports. A
 * destination whose directory lies inside the config directory would otherwise make the next
 * `roster validate` read it as a resource. Recognised by name and shape (a destination, a segment
 * and a list of files, and no `kind`), so a resource that happens to be called manifest.json is
 * still read.
 */
export function isExportManifest(fileName: string, bytes: Buffer): boolean {
  if (fileName !== 'manifest.json') return false;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false; // not JSON: read it as a resource file, whose parser reports the syntax
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const manifest = value as Record<string, unknown>;
  return (
    manifest.kind === undefined &&
    typeof manifest.destination === 'string' &&
    typeof manifest.segment === 'string' &&
    Array.isArray(manifest.files)
  );
}
