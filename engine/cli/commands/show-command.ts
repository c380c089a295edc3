import { type CliIo, EXIT } from '../cli-io';
import { readSavedPlan } from './apply-saved-plan';
import { type PlanFormat, renderPlan } from './plan-command';

/** `roster show FILE`: a saved plan, rendered as `roster plan` renders plans. Reads no database. */
export async function runShow(options: { file: string; format: PlanFormat }, io: CliIo): Promise<number> {
  const saved = await readSavedPlan(options.file, io);
  io.stdout(renderPlan(saved.plan, options.format, io));
  return EXIT.ok;
}
