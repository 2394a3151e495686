// The capabilities' lifecycle, in one place: started in list order; a failure closes, in reverse, every capability
// started so far and the one that failed (whose `close` copes with a half-done start); closed in reverse order;
// reloaded in two steps so that a failure anywhere leaves the running version whole.
import type { AppModel } from '../app/model.js';
import type { Capability, ReloadStep } from './capability.js';

export interface RunningCapabilities {
  /** Tells every capability the server listens. A failure closes them all. */
  listening(): Promise<void>;
  /** Prepares `next` in every capability, then `swap`s the app and commits them all; or aborts them all. */
  reload(next: AppModel, swap: () => void): Promise<void>;
  close(): Promise<void>;
}

export async function startCapabilities(capabilities: readonly Capability[]): Promise<RunningCapabilities> {
  const started: Capability[] = [];
  const close = async () => {
    // Every capability gets its close even if an earlier one's fails; the first failure is reported after.
    let failure: unknown;
    for (const capability of started.splice(0).reverse()) {
      try {
        await capability.close?.();
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure) throw failure;
  };
  const unwind = async (error: unknown): Promise<never> => {
    await close().catch(() => {});
    throw error;
  };

  for (const capability of capabilities) {
    started.push(capability);
    try {
      await capability.start?.();
    } catch (error) {
      await unwind(error);
    }
  }

  return {
    async listening() {
      try {
        for (const capability of capabilities) await capability.listening?.();
      } catch (error) {
        await unwind(error);
      }
    },
    async reload(next, swap) {
      const steps: ReloadStep[] = [];
      try {
        for (const capability of capabilities) {
          const step = await capability.reload?.(next);
          if (step) steps.push(step);
        }
      } catch (error) {
        for (const step of steps.reverse()) await step.abort?.();
        throw error;
      }
      swap();
      for (const step of steps) await step.commit();
      for (const step of steps.reverse()) await step.retire?.();
    },
    close,
  };
}
