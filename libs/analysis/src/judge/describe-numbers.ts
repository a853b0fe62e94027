/** Three significant digits, no exponent and no trailing zeros: 12.4, 8.1, 0.000123, 123000. */
export function formatValue(value: number, unit?: string): string {
  const digits = Number(value.toPrecision(3)).toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  return unit ? `${digits} ${unit}` : digits;
}

/** The size of a fraction as a percentage: "53 %", "2.5 %", "0.04 %" (the sign is told in words). */
export function formatPercent(fraction: number): string {
  return `${percentDigits(fraction)} %`;
}

/** The size of a difference of rates in percentage points: "5 points", "0.5 points". */
export function formatPoints(difference: number): string {
  return `${percentDigits(difference)} points`;
}

/** Two significant digits; below 0.0001 the normal approximation's digits mean nothing. */
export function formatPValue(pValue: number): string {
  return pValue < 0.0001 ? 'p < 0.0001' : `p = ${formatValue(Number(pValue.toPrecision(2)))}`;
}

// Whole percent from 10 up, where a decimal is noise to the reader; two significant digits below,
// so an error rate of 0.04 % does not read as 0.
function percentDigits(fraction: number): string {
  const percent = Math.abs(fraction * 100);
  return formatValue(percent >= 10 ? Math.round(percent) : Number(percent.toPrecision(2)));
}

/** "1 current sample", "40 current samples". */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
