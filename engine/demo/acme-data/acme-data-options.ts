/** Options of {@link generateAcmeData}. */
export interface AcmeDataOptions {
  /** Directory the files are written under; created if missing. Existing files of the same name are replaced. */
  outDir: string;
  /** PRNG seed. Default 42. */
  seed?: number;
  /** Anchor of every timestamp (events before it, open opportunities after it). Default: today at 00:00 UTC. */
  now?: Date;
  /** Multiplier of every row count (each rounded, at least 1). Default 1. */
  scale?: number;
}

/** What {@link generateAcmeData} wrote. */
export interface AcmeDataSummary {
  /** One entry per file: its path relative to `outDir` (with `/` separators) and its number of records (header excluded). */
  files: { path: string; records: number }[];
}
