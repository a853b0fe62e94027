/** One risky or wrong thing squawk found in a piece of SQL. Lines and columns are 1-based. */
export interface LintFinding {
  /** squawk rule, e.g. `changing-column-type`, `require-concurrent-index-creation`, `syntax-error`. */
  rule: string;
  level: 'warning' | 'error';
  message: string;
  /** The safe way to do it: squawk's help, or the Bascule operation that makes it zero-downtime. */
  help: string | null;
  line: number;
  column: number;
  lineEnd: number;
  columnEnd: number;
}
