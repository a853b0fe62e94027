/** `['phases', 1, 'steps', 0, 'sql', 'up']` → `phases[1].steps[0].sql.up`. */
export function specPath(segments: ReadonlyArray<PropertyKey>, prefix = ''): string {
  return segments.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    prefix,
  );
}

export function stepPath(phaseIndex: number, stepIndex: number): string {
  return `phases[${phaseIndex}].steps[${stepIndex}]`;
}

/** Appends an inner path (`operations[2].alter_column.up`) to an outer one. */
export function joinPath(outer: string, inner: string): string {
  if (!inner) return outer;
  if (!outer) return inner;
  return inner.startsWith('[') ? `${outer}${inner}` : `${outer}.${inner}`;
}
