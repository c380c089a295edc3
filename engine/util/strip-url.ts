// Web and email domains are normalised the same way by mapping (account domains) and identity
// (the domain namespace), so the rule lives below both.

/** `https://www.acme.example/path` -> `acme.example`. */
export function stripUrl(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '');
}

/** `Jane@Acme.Example` -> `acme.example`; undefined when there is no `@`. */
export function emailDomain(text: string): string | undefined {
  const at = text.lastIndexOf('@');
  return at < 0
    ? undefined
    : text
        .slice(at + 1)
        .trim()
        .toLowerCase() || undefined;
}
