import { BASE_DELAY_MS, ITEM_PROBE_SQL, knobProbeSql, ROWS_PER_GROUP, type ProbeTarget } from './probe-target';

export type ScenarioKind = 'identical' | 'latency' | 'errors' | 'plan';

/** What a run changes on the target at its change point, and how the lane is put back for the next run. */
export interface Scenario {
  name: string;
  kind: ScenarioKind;
  probe: 'knob' | 'index';
  /** The injected change in words, for the table. */
  change: string;
  /** Latency scenarios: the factor applied to the knob's delay (1.5 = +50 %). */
  factor?: number;
  probeSql(lane: number): string;
  inject(target: ProbeTarget, lane: number): Promise<void>;
  reset(target: ProbeTarget, lane: number): Promise<void>;
}

export const ERROR_RATE = 0.2;

function latency(percent: number): Scenario {
  const factor = 1 + percent / 100;
  return {
    name: `+${percent} % latency`,
    kind: 'latency',
    change: `knob ${BASE_DELAY_MS} → ${BASE_DELAY_MS * factor} ms`,
    factor,
    probe: 'knob',
    probeSql: knobProbeSql,
    inject: (target, lane) => target.setKnob(lane, BASE_DELAY_MS * factor, 0),
    reset: (target, lane) => target.resetKnob(lane),
  };
}

/** `SELECT lookup(lane)`: a function sleeping 20 ms ±10 %, its delay and failures set by a knob. */
export const KNOB_SCENARIOS: readonly Scenario[] = [
  {
    name: 'identical',
    kind: 'identical',
    change: 'none',
    probe: 'knob',
    probeSql: knobProbeSql,
    inject: async () => undefined,
    reset: (target, lane) => target.resetKnob(lane),
  },
  latency(10),
  latency(20),
  latency(50),
  {
    name: `errors: ${ERROR_RATE * 100} % of probes fail`,
    kind: 'errors',
    change: `knob error rate 0 → ${ERROR_RATE * 100} %`,
    probe: 'knob',
    probeSql: knobProbeSql,
    inject: (target, lane) => target.setKnob(lane, BASE_DELAY_MS, ERROR_RATE),
    reset: (target, lane) => target.resetKnob(lane),
  },
];

/** `SELECT id FROM items WHERE g = … AND k = …` on 200,000 rows: an index lookup with the noise of a real query. */
function indexIdentical(name: string): Scenario {
  return { name, kind: 'identical', probe: 'index', change: 'none', probeSql: () => ITEM_PROBE_SQL, inject: async () => undefined, reset: async () => undefined };
}

export const INDEX_IDENTICAL_BESIDE = indexIdentical('identical, beside the knob runs');
export const INDEX_IDENTICAL_ALONE = indexIdentical('identical, alone');

/** Costs the target CPU from its change on (a thousand rows read per probe): runs alone, not beside other scenarios. */
export const INDEX_DROPPED: Scenario = {
  name: 'key index dropped',
  kind: 'plan',
  probe: 'index',
  change: `\`DROP INDEX\` on k: reads the key's ${ROWS_PER_GROUP.toLocaleString('en-US')}-row group by the g index`,
  probeSql: () => ITEM_PROBE_SQL,
  inject: (target) => target.dropKeyIndex(),
  reset: (target) => target.restoreKeyIndex(),
};
