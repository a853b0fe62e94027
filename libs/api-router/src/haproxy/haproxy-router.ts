import { HaproxyServerNotFoundError, InvalidRouterSpecError, SamplesUnavailableError, WeightsNotAppliedError } from '../errors';
import { parseListenAddress } from '../listen-address';
import type { RouterAdapter, TrafficShares, VersionSamples, VersionTrafficStats } from '../router-adapter';
import { DEFAULT_MAX_SAMPLES_PER_DRAIN, TrafficRecorder } from '../traffic/traffic-recorder';
import { planWeightChanges, resolveShares, sharesOf } from '../traffic/traffic-shares';
import { HaproxyRuntimeApi } from './runtime-api';
import { parseServerStats } from './server-stats';
import { readServerStateFileOf, saveServerState } from './server-state-file';
import { parseServersState } from './servers-state';
import { SyslogReceiver } from './syslog-receiver';

export interface HaproxyRouterOptions {
  /** Path of the admin socket (`stats socket <path> level admin`). */
  socket: string;
  /** The backend serving the API; its servers are named after the versions. */
  backend: string;
  versions: readonly string[];
  /** Where to save `show servers state` after every change (HAProxy's global `server-state-file`). */
  serverStateFile?: string;
  /** HAProxy's configuration: its global `server-state-file` is used when `serverStateFile` is not given. */
  configFile?: string;
  /** host:port for a UDP syslog receiver of HAProxy's `option httplog` lines: per-request samples and latency percentiles. */
  logReceiver?: { listen: string };
  commandTimeoutMs?: number;
  maxSamplesPerDrain?: number;
  /** Called with every runtime API command before it is sent (audit trail). */
  onCommand?: (command: string) => void;
}

/** Names HAProxy accepts for proxies and servers; anything else could not be a server of the backend. */
const HAPROXY_NAME = /^[A-Za-z0-9_.:-]+$/;

/**
 * Drives an HAProxy backend through its runtime API. Versions are the backend's servers, weights
 * 0–100 are the shares (HAProxy's roundrobin spreads requests by weight and applies a change to the
 * next request), and every change is saved to the server-state file so a reload does not revert it.
 */
export class HaproxyRouter implements RouterAdapter {
  readonly kind = 'haproxy';
  /** setWeights calls run one after another: interleaved raise/lower steps of two calls could meet at 0/0. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly api: HaproxyRuntimeApi,
    private readonly options: HaproxyRouterOptions,
    private readonly serverStateFile: string | null,
    private readonly logs: SyslogReceiver | null,
    private readonly recorder: TrafficRecorder,
  ) {}

  /** Checks that the backend has a server per version, then starts the log receiver if asked. */
  static async connect(options: HaproxyRouterOptions): Promise<HaproxyRouter> {
    for (const [field, name] of [['router.backend', options.backend], ...options.versions.map((version) => ['versions', version])]) {
      if (!HAPROXY_NAME.test(name)) throw new InvalidRouterSpecError(field, `"${name}" is not an HAProxy name (letters, digits, "-", "_", ".", ":")`);
    }
    const api = new HaproxyRuntimeApi(options.socket, options.commandTimeoutMs, options.onCommand);
    const serverStateFile = options.serverStateFile ?? (options.configFile ? await readServerStateFileOf(options.configFile) : null);
    await readServerWeights(api, options);
    const recorder = new TrafficRecorder(options.versions, options.maxSamplesPerDrain ?? DEFAULT_MAX_SAMPLES_PER_DRAIN);
    const logs = options.logReceiver
      ? await SyslogReceiver.listen(parseListenAddress(options.logReceiver.listen, 'haproxy logReceiver.listen'), (entry) => {
          if (entry.backend === options.backend) recorder.record(entry.server, entry.status, entry.totalMs);
        })
      : null;
    return new HaproxyRouter(api, options, serverStateFile, logs, recorder);
  }

  /** The UDP port HAProxy must log to (the real one when `logReceiver.listen` asked for port 0). */
  get logPort(): number | null {
    return this.logs?.port ?? null;
  }

  async setWeights(shares: TrafficShares): Promise<void> {
    // Checked before queueing, so a bad request fails at once and never reaches HAProxy.
    const target = resolveShares(shares, this.options.versions);
    const change = this.queue.then(() => this.apply(target));
    this.queue = change.catch(() => undefined);
    await change;
  }

  async weights(): Promise<TrafficShares> {
    return sharesOf(await this.serverWeights());
  }

  async stats(): Promise<Record<string, VersionTrafficStats>> {
    const counters = parseServerStats(await this.api.query(`show stat ${this.options.backend} 4 -1`), this.options.backend);
    const observed = this.recorder.stats();
    const stats: Record<string, VersionTrafficStats> = {};
    for (const version of this.options.versions) {
      const server = counters.get(version);
      if (!server) throw new HaproxyServerNotFoundError(this.options.socket, this.options.backend, version);
      stats[version] = { requests: server.requests, serverErrors: server.serverErrors, latencyMs: observed[version]?.latencyMs ?? null };
    }
    return stats;
  }

  async drainSamples(): Promise<Record<string, VersionSamples>> {
    if (!this.logs) {
      throw new SamplesUnavailableError(
        'give the HAProxy adapter a logReceiver and add `log <host>:<port> local0` and `option httplog` to the HAProxy frontend',
      );
    }
    return this.recorder.drain();
  }

  async close(): Promise<void> {
    await this.queue;
    await this.logs?.close();
  }

  private async apply(target: TrafficShares): Promise<void> {
    const current = await this.serverWeights();
    for (const { version, weight } of planWeightChanges(current, target)) {
      await this.api.run(`set server ${this.options.backend}/${version} weight ${weight}`);
    }
    // `set server … weight` runs server_recalc_eweight(sv, 1), which updates the load-balancing tree
    // (srv_update_status) before the CLI answers: the next request already follows the new weight.
    // Reading the weights back only confirms nobody else changed them in between.
    const applied = await this.serverWeights();
    if (Object.keys(target).some((version) => applied[version] !== target[version])) throw new WeightsNotAppliedError(target, applied);
    if (this.serverStateFile) await saveServerState(this.api, this.serverStateFile);
  }

  private serverWeights(): Promise<Record<string, number>> {
    return readServerWeights(this.api, this.options);
  }
}

/** The runtime weight of each version's server; throws naming backend and server when one is missing. */
async function readServerWeights(api: HaproxyRuntimeApi, { socket, backend, versions }: HaproxyRouterOptions): Promise<Record<string, number>> {
  const servers = parseServersState(await api.query(`show servers state ${backend}`));
  const weights: Record<string, number> = {};
  for (const version of versions) {
    const server = servers.find((candidate) => candidate.backend === backend && candidate.server === version);
    if (!server) throw new HaproxyServerNotFoundError(socket, backend, version);
    weights[version] = server.weight;
  }
  return weights;
}
