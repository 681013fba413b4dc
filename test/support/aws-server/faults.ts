import { isServiceName, type ServiceName } from './types';

export type FaultKind = 'throttle' | '5xx' | 'drop' | 'latency' | 'timeout';

export interface FaultSpec {
  /** Only requests to this service; all services when absent. */
  service?: ServiceName;
  /** Only this action (e.g. 'GetCallerIdentity'); all actions when absent. */
  action?: string;
  /** How many matching requests it affects; Infinity when absent. */
  times?: number;
  kind: FaultKind;
  /** For 'latency': extra delay per matching response. */
  latencyMs?: number;
  /** For '5xx': 500 (InternalFailure/InternalError, the default) or 503 (ServiceUnavailable/Unavailable). */
  status?: 500 | 503;
}

export interface ActiveFault extends FaultSpec {
  id: string;
  /** Matching requests still to affect. */
  remaining: number;
  /** Matching requests affected so far. */
  hits: number;
}

/** The faults that apply to one request: at most one that replaces the answer, plus any added latency. */
export interface FaultPlan {
  /** throttle, 5xx, drop or timeout; undefined when the request is served normally. */
  terminal?: ActiveFault;
  extraLatencyMs: number;
}

const KINDS: readonly FaultKind[] = ['throttle', '5xx', 'drop', 'latency', 'timeout'];

/**
 * Injected failures, matched in the order they were added. A fault with `times` stops matching
 * once used up, so "fail twice, then succeed" is `{ kind: 'throttle', times: 2 }`.
 */
export class Faults {
  private readonly active: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): string {
    if (!KINDS.includes(spec.kind)) throw new Error(`Unknown fault kind '${String(spec.kind)}'`);
    if (spec.service !== undefined && !isServiceName(spec.service)) throw new Error(`Unknown service '${String(spec.service)}'`);
    if (spec.kind === 'latency' && !(typeof spec.latencyMs === 'number' && spec.latencyMs >= 0)) {
      throw new Error("A 'latency' fault needs latencyMs >= 0");
    }
    const times = spec.times ?? Infinity;
    if (!(times > 0)) throw new Error('Fault times must be positive');
    const id = `fault-${this.nextId++}`;
    this.active.push({ ...spec, id, remaining: times, hits: 0 });
    return id;
  }

  remove(id: string): boolean {
    const index = this.active.findIndex((f) => f.id === id);
    if (index >= 0) this.active.splice(index, 1);
    return index >= 0;
  }

  clear(): void {
    this.active.length = 0;
  }

  list(): ActiveFault[] {
    return this.active.map((f) => ({ ...f }));
  }

  /** Picks (and uses up) the faults for one request. */
  plan(service: ServiceName | undefined, action: string | undefined): FaultPlan {
    const plan: FaultPlan = { extraLatencyMs: 0 };
    for (const fault of this.active) {
      if (fault.remaining <= 0) continue;
      if (fault.service !== undefined && fault.service !== service) continue;
      if (fault.action !== undefined && fault.action !== action) continue;
      if (fault.kind === 'latency') {
        plan.extraLatencyMs += fault.latencyMs ?? 0;
      } else if (plan.terminal) {
        continue;
      } else {
        plan.terminal = fault;
      }
      fault.remaining -= 1;
      fault.hits += 1;
    }
    return plan;
  }
}
