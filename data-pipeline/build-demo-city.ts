/**
 * Generates the demo city and stores it, in one transaction, like any import.
 */
import type { Database } from '../kernel/db/database.ts';
import { generateDemoCity } from './demo-city/generate-demo-city.ts';
import { writeBundle, type WriteResult } from './write-bundle.ts';

export async function buildDemoCity(db: Database, options: { seed?: number; onStage?: (stage: string) => void } = {}): Promise<WriteResult> {
  options.onStage?.('generating the demo city');
  const bundle = generateDemoCity({ seed: options.seed });
  options.onStage?.(`storing ${bundle.households.count} household units and ${bundle.network.edgeCount} walk edges`);
  return writeBundle(db, bundle);
}
