import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/contract';

/** The one event bus from core to whoever listens: the window (via main) or the harness. */
export class EventBus {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(100);
  }
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.emitter.emit('event', event, payload);
  }
  /** Listens to every event; returns the unsubscribe function. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
