/** The requested segment size, or a larger one if the estimate says more than maxSegments would be cut. */
export function segmentRowsFor(requested: number, maxSegments: number, estimatedRows: number): number {
  return Math.max(requested, Math.ceil(estimatedRows / maxSegments));
}
