import { DevEngine, type DevEngineOptions } from './engine';

export { DevEngine, type DevEngineEvents, type DevEngineOptions } from './engine';
export type { ErrorBody, Frame, InvokeFrame, RegisterFunctionFrame, RegisterTriggerFrame, RegisterTriggerTypeFrame, ResultFrame } from './frames';

/**
 * Starts the development engine (development and tests only; production runs the real iii engine).
 * `port` 0 or absent asks for an ephemeral port; read the chosen one from `engine.port` / `engine.url`.
 */
export function startDevEngine(options: DevEngineOptions = {}): Promise<DevEngine> {
  return DevEngine.start(options);
}
