import type { PublishPayloadIn } from '@iii-registry/schemas';
export interface SyntheticOptions { seed?: number; versionsPerWorker?: number }
export const SYNTHETIC_QUERIES: string[] = [];
export function syntheticCatalog(_n: number, _options: SyntheticOptions = {}): PublishPayloadIn[] { return []; }
