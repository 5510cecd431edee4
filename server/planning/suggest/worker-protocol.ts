/**
 * The messages between the suggestion runner (request thread) and its worker
 * thread, and how errors cross between them. Messages hold typed arrays and
 * small plain objects only: structured clone copies a typed array as one
 * block, with no object per node or unit. The network (graph, index, linked
 * units, counts) travels once per graph; each request then names it by id.
 *
 * Errors: the domain errors a suggestion can throw (InvalidOption,
 * OffNetwork, OutsideData) arrive on the request thread as instances of
 * their classes with the same message (and field), so the HTTP edge maps
 * them as if they had been thrown there; anything else becomes a plain Error
 * carrying the worker's stack.
 */
import { DomainError, InvalidOption, OffNetwork, OutsideData } from '../../domain-errors.ts';
import type { SnapColumns } from '../../routing/search/snap.ts';
import type { SuggestNetwork } from './suggest-sites.ts';
import type { SuggestOptions } from './suggest-options.ts';
import type { SuggestResult } from './suggest-result.ts';

/** Runner -> worker: one suggestion, with the network when the worker does not have this one yet. */
export interface SuggestRequestMessage {
  id: number;
  networkId: number;
  network?: SuggestNetwork;
  centers: SnapColumns;
  currentSeconds?: Float32Array;
  options: SuggestOptions;
}

/** The error classes that keep their class across the thread boundary. */
const DOMAIN_CLASSES = { InvalidOption, OffNetwork, OutsideData } as const;
type DomainName = keyof typeof DOMAIN_CLASSES;

export interface WireError {
  name: string;
  message: string;
  stack?: string;
  field?: string;
}

/** Worker -> runner: the answer to request `id`. */
export type SuggestReplyMessage = { id: number; ok: true; result: SuggestResult } | { id: number; ok: false; error: WireError };

/** An error as plain data. */
export function toWire(error: unknown): WireError {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, field: error instanceof InvalidOption ? error.field : undefined };
  }
  return { name: 'Error', message: String(error) };
}

/** The error again, as its domain class where it has one. */
export function fromWire(wire: WireError): Error {
  if (wire.name in DOMAIN_CLASSES) {
    const type = DOMAIN_CLASSES[wire.name as DomainName];
    // Rebuilt on the prototype: the constructors compose their messages from arguments the wire does not carry.
    const error = Object.create(type.prototype) as DomainError & { field?: string };
    Object.defineProperty(error, 'message', { value: wire.message, writable: true, configurable: true });
    Object.defineProperty(error, 'name', { value: wire.name, writable: true, configurable: true });
    Object.defineProperty(error, 'stack', { value: wire.stack ?? `${wire.name}: ${wire.message}`, writable: true, configurable: true });
    if (wire.field !== undefined) Object.defineProperty(error, 'field', { value: wire.field, enumerable: true });
    return error;
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.stack) error.stack = `${wire.stack}\n    (in the site-suggestion worker)`;
  return error;
}
