// Shard leases: how the nodes of a cluster share stream shards so that each shard is processed by one node at a
// time. Every node registers the same units (one per mapping and shard) and, on each tick, renews what it holds,
// takes free or expired units up to its fair share (units / live nodes, rounded up), and hands back what it holds
// beyond it. A lease carries a fencing token that grows on every takeover; a unit's checkpoint writes are fenced
// with it, so a node that lost a lease (paused, partitioned) cannot move a shard's checkpoint any more.
// A dead node's leases expire after `ttlMs` and go to the living on their next tick.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** A name for one server instance in the cluster's tables (several may share a process, as in tests). */
export function newNodeId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export interface Fence {
  lease: string;
  token: number;
}

/** What the leases need from the database; every call is one atomic statement (see leasesPostgres.ts). */
export interface LeaseStore {
  /** Marks `node` alive for `ttlMs`; returns how many nodes are alive (at least 1: this one). */
  heartbeat(node: string, ttlMs: number): number;
  /** Forgets `node` (a clean shutdown), so the others' fair share grows at once. */
  leave(node: string): void;
  /** Takes up to `limit` of `names` that nobody holds or whose holder let them expire; returns name → token. */
  acquire(names: string[], node: string, ttlMs: number, limit: number): Map<string, number>;
  /** Extends the leases `node` still holds with these tokens; returns the names it still holds. */
  renew(held: ReadonlyMap<string, number>, node: string, ttlMs: number): Set<string>;
  /** Gives a lease back (after its unit stopped) so another node takes it without waiting for expiry. */
  release(name: string, node: string, token: number): void;
  /** Writes a meta value only while `fence` is the lease's current holder; false when refused. */
  putMetaFenced(key: string, value: string, fence: Fence): boolean;
}

/** A unit of work that runs only while its lease is held. */
export interface LeaseUnit {
  name: string;
  start(fence: Fence): void;
  /** Stops the unit; resolves when its work in flight has ended. */
  stop(): Promise<void>;
}

export interface LeaseLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ShardLeasesOptions {
  store: LeaseStore;
  node: string;
  log: LeaseLog;
  /** A lease not renewed for this long may be taken by another node (default 5 s). */
  ttlMs?: number;
  /** How often leases are renewed and rebalanced (default 1.5 s). */
  renewMs?: number;
}

/** Thrown by a fenced write after the lease moved to another node. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(readonly lease: string) {
    super(`lease ${lease} is held by another node`);
  }
}

export class ShardLeases {
  readonly node: string;
  readonly store: LeaseStore;
  private readonly units = new Map<string, LeaseUnit>();
  private readonly held = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: ShardLeasesOptions) {
    this.node = options.node;
    this.store = options.store;
    this.ttlMs = options.ttlMs ?? 5000;
    this.timer = setInterval(() => void this.tick(), options.renewMs ?? 1500);
    this.timer.unref();
  }

  /** Adds units and balances at once; the returned function stops them and gives their leases back. */
  register(units: LeaseUnit[]): () => Promise<void> {
    for (const unit of units) this.units.set(unit.name, unit);
    void this.tick();
    return async () => {
      await this.ticking;
      await Promise.all(units.map((unit) => this.drop(unit.name, true)));
      for (const unit of units) this.units.delete(unit.name);
    };
  }

  /** The leases this node holds now, for diagnostics and tests. */
  holding(): string[] {
    return [...this.held.keys()];
  }

  /** Runs one renew-and-balance round now (the timer runs them every `renewMs`). */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.ticking ??= this.balance()
      .catch((err) => this.options.log.error({ err }, 'lease round failed; retrying on the next tick'))
      .finally(() => {
        this.ticking = undefined;
      });
    return this.ticking;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    this.closed = true;
    await Promise.all([...this.held.keys()].map((name) => this.drop(name, true)));
    try {
      this.store.leave(this.node);
    } catch (err) {
      this.options.log.warn({ err }, 'could not leave the cluster cleanly; the others wait for this node to expire');
    }
  }

  private async balance(): Promise<void> {
    const { store, node, log } = this.options;
    const live = store.heartbeat(node, this.ttlMs);
    if (this.held.size) {
      const still = store.renew(this.held, node, this.ttlMs);
      for (const name of [...this.held.keys()]) {
        if (still.has(name)) continue;
        log.warn({ lease: name }, 'lease lost to another node; its shard stops here');
        await this.drop(name, false);
      }
    }
    const share = Math.ceil(this.units.size / Math.max(1, live));
    if (this.held.size < share) {
      const free = [...this.units.keys()].filter((name) => !this.held.has(name));
      const taken = store.acquire(free, node, this.ttlMs, share - this.held.size);
      for (const [name, token] of taken) {
        const unit = this.units.get(name);
        if (!unit) continue;
        this.held.set(name, token);
        log.info({ lease: name, token }, 'lease acquired');
        unit.start({ lease: name, token });
      }
    } else if (this.held.size > share) {
      // A node joined: hand back the surplus, one round at a time, so shards move gradually.
      const surplus = [...this.held.keys()].slice(0, this.held.size - share);
      await Promise.all(surplus.map((name) => this.drop(name, true)));
    }
  }

  /** Stops a unit's work; gives the lease back when it is still ours to give. */
  private async drop(name: string, release: boolean): Promise<void> {
    const token = this.held.get(name);
    if (token === undefined) return;
    this.held.delete(name);
    await this.units.get(name)?.stop();
    if (!release) return;
    try {
      this.options.store.release(name, this.options.node, token);
    } catch (err) {
      this.options.log.warn({ err, lease: name }, 'could not release a lease; it expires on its own');
    }
  }
}
