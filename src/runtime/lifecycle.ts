import type { Logger } from 'pino';

interface Part {
  name: string;
  stop: () => Promise<void>;
}

/**
 * What a process started, in order. `stopAll` stops it in reverse (no new requests before no new
 * jobs before the index is persisted before Redis is let go), each part in its own try/finally so
 * one that fails or hangs does not keep the rest running, all within one deadline.
 */
export class Lifecycle {
  private readonly parts: Part[] = [];

  constructor(private readonly logger: Logger) {}

  /** Starts a part (if it has a start step) and registers how it stops; returns what start made. */
  async start<T>(name: string, start: () => Promise<T> | T, stop: (value: T) => Promise<void> | void): Promise<T> {
    const value = await start();
    this.parts.push({ name, stop: async () => stop(value) });
    return value;
  }

  async stopAll(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    while (this.parts.length) {
      const part = this.parts.pop()!;
      const left = Math.max(0, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          part.stop(),
          new Promise<void>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not stop within the shutdown deadline`)), left);
          }),
        ]);
      } catch (err) {
        this.logger.error({ err: (err as Error).message, part: part.name }, 'stopping failed; going on with the rest');
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
