export interface AbsoluteBounds {
  max?: number;
  min?: number;
}

export interface BoundCheck {
  breached: boolean;
  /** How the value stands against the bounds: the broken one when there is one, else both. */
  clause: string;
}

/** Checks one value against the bounds; `show` prints a value the way the caller's reason does. */
export function checkBounds(label: string, value: number, bounds: AbsoluteBounds, show: (value: number) => string): BoundCheck {
  const { max, min } = bounds;
  if (max !== undefined && value > max) return { breached: true, clause: `${label} ${show(value)} is above the maximum ${show(max)}` };
  if (min !== undefined && value < min) return { breached: true, clause: `${label} ${show(value)} is below the minimum ${show(min)}` };
  const limits = [min !== undefined ? `minimum ${show(min)}` : '', max !== undefined ? `maximum ${show(max)}` : ''];
  return { breached: false, clause: `${label} ${show(value)} is within the ${limits.filter(Boolean).join(' and ')}` };
}

export function hasBounds(bounds: AbsoluteBounds): boolean {
  return bounds.max !== undefined || bounds.min !== undefined;
}
