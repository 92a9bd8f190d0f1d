/**
 * This process among the instances sharing one store: its name on claims and leases, and
 * how long they last before another instance may take them over.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface Instance {
  /** Unique to this process: host, pid and a random part (pids repeat across containers). */
  owner: string;
  /**
   * How long a claim on a feed, or a destination's queue, lasts without being renewed: an
   * instance that dies holds its work that long. Longer than one feed's poll.
   */
  leaseMs: number;
}

/** How long claims last unless the config says (instances.lease). */
export const DEFAULT_LEASE_MS = 120_000;

let own: string | null = null;

/** This process's owner name, the same for all its callers. */
export function instanceOwner(): string {
  own ??= `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  return own;
}

export function defaultInstance(): Instance {
  return { owner: instanceOwner(), leaseMs: DEFAULT_LEASE_MS };
}
