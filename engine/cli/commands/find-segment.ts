import type { AppliedSegment } from '../../segment/read-applied-segments';
import { CommandError } from '../command-error';

/** The applied segment `name`, or a SEGMENT_NOT_FOUND error naming the ones that are applied. */
export async function findSegment(segments: AppliedSegment[], name: string, sandbox: string): Promise<AppliedSegment> {
  const segment = segments.find((s) => s.name === name);
  if (!segment)
    throw new CommandError(
      'SEGMENT_NOT_FOUND',
      `Segment/${name} is not applied to sandbox ${sandbox} (applied: ${segments.map((s) => s.name).join(', ') || 'none'}); apply it first`,
    );
  return segment;
}
