/**
 * Something a template is not allowed to do (reach prototypes, call what is not a macro, exceed a
 * limit). nunjucks wraps it with the line and column of the expression that was being evaluated.
 */
export class TemplateRefusal extends Error {
  override readonly name = 'TemplateRefusal';
}
