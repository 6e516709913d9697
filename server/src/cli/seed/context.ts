import type { Sequelize } from 'sequelize';
import type { BatchProgress } from './batch.js';
import type { Random } from './random.js';

/** What every domain seeder gets; each takes its own `random.fork('<domain>')`. */
export interface SeedContext {
  sequelize: Sequelize;
  random: Random;
  /** The run's clock: generated times lie before it, so a seed and a `now` reproduce a run. */
  now: Date;
  chunkSize?: number;
  log: (line: string) => void;
  onProgress?: (progress: BatchProgress) => void;
}

export const DAY_MS = 86_400_000;
