import { isUtf8 } from 'node:buffer';
import type { Problem } from './problem';

/** The file's text, or a problem naming the line and column of the first byte that is not UTF-8. */
export function decodeText(bytes: Buffer, file: string): { text: string } | { problem: Problem } {
  if (isUtf8(bytes)) {
    const text = bytes.toString('utf8');
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  }
  const offset = firstInvalidUtf8Offset(bytes);
  const before = bytes.subarray(0, offset).toString('utf8');
  const lines = before.split('\n');
  const line = lines.length;
  const column = [...(lines[lines.length - 1] ?? '')].length + 1;
  const byte = bytes[offset]!.toString(16).padStart(2, '0');
  return {
    problem: {
      code: 'CONFIG_ENCODING',
      file,
      line,
      column,
      pointer: '',
      message: `byte 0x${byte} at offset ${offset} is not valid UTF-8; save the file as UTF-8`,
    },
  };
}

/** Offset of the first byte that starts or continues an invalid UTF-8 sequence. */
function firstInvalidUtf8Offset(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]!);
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    if (!isUtf8(bytes.subarray(i, i + length))) return i; // overlong forms and surrogates
    i += length;
  }
  return bytes.length;
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}
