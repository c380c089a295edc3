import type { TemplateLimits } from './template-limits';
import { TemplateRefusal } from './template-refusal';

/** What one render has spent against its `TemplateLimits`; every hook of the guarded runtime charges it. */
export class RenderBudget {
  private readonly deadline: number;
  private iterations = 0;
  private output = 0;
  private depth = 0;

  constructor(readonly limits: TemplateLimits) {
    this.deadline = Date.now() + limits.renderMilliseconds;
  }

  /** Refuses once the render has run out of time. Cheap enough to call at every step. */
  tick(): void {
    if (Date.now() > this.deadline) {
      throw new TemplateRefusal(
        `rendering took longer than ${this.limits.renderMilliseconds} ms; templates must render quickly: remove the loop or recursion that does not end`,
      );
    }
  }

  iterate(): void {
    this.tick();
    if (++this.iterations > this.limits.loopIterations) {
      throw new TemplateRefusal(
        `loops ran more than ${this.limits.loopIterations} iterations in total; loop over data, not over generated ranges`,
      );
    }
  }

  /** Charges `characters` of output (macro output is charged again where it is used: a bound, not a count). */
  write(characters: number): void {
    this.tick();
    this.output += characters;
    if (this.output > this.limits.outputCharacters) {
      throw new TemplateRefusal(
        `output is longer than ${this.limits.outputCharacters} characters; templates render configuration and payloads, not bulk text`,
      );
    }
  }

  /** Refuses a string (or operand) that would be longer than the output could ever be. */
  checkSize(characters: number, what: string): void {
    this.tick();
    if (characters > this.limits.outputCharacters) {
      throw new TemplateRefusal(
        `${what} would be longer than ${this.limits.outputCharacters} characters; build smaller values`,
      );
    }
  }

  /** Runs `call` one level deeper, refusing recursion past the limit. */
  nested<T>(call: () => T): T {
    this.tick();
    if (this.depth >= this.limits.callDepth) {
      throw new TemplateRefusal(
        `calls are nested more than ${this.limits.callDepth} deep; a macro must not call itself without end`,
      );
    }
    this.depth++;
    try {
      return call();
    } finally {
      this.depth--;
    }
  }
}
