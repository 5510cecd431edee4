/**
 * `npm run bench -- exports`: what a table export costs, on seeded tables
 * the shape of the demo city's largest (2,408 grids): the coverage (12
 * columns) and the GB 50180 check (35 columns). For each: the JSON text of
 * the same rows (the reference, what the route answers without `format`),
 * the CSV, and the xlsx on the request thread and through the app's worker
 * (xlsx-runner.ts), with the longest the event loop was held meanwhile: the
 * worker is there so that a tile or an isochrone never waits for a workbook.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { csvBytes } from '../server/exports/csv-writer.ts';
import type { Table, TableColumn } from '../server/exports/table.ts';
import { XlsxRunner } from '../server/exports/xlsx-runner.ts';
import { xlsxBytes } from '../server/exports/xlsx-writer.ts';
import { formatMs, seededRandom, summarize } from './stats.ts';

const GRIDS = 2408;
const RUNS = 5;

/** A seeded table: code and name, then `counts` count columns and `shares` share columns. */
function seededTable(sheet: string, counts: number, shares: number, seed: number): Table {
  const random = seededRandom(seed);
  const columns: TableColumn[] = [
    { header: '代码', type: 'text' },
    { header: '名称', type: 'text' },
    ...Array.from({ length: counts }, (_, i): TableColumn => ({ header: `户数 ${i}`, type: 'count' })),
    ...Array.from({ length: shares }, (_, i): TableColumn => ({ header: `覆盖率 ${i}`, type: 'share' })),
  ];
  const rows = Array.from({ length: GRIDS + 1 }, (_, r) => [
    `3503020${String(100_000 + r).slice(1)}`,
    `第 ${r} 网格`,
    ...Array.from({ length: counts }, () => Math.floor(random() * 3000)),
    ...Array.from({ length: shares }, () => random()),
  ]);
  return { sheet, columns, rows };
}

/** Times `job` RUNS times (after one warm-up); returns the mean and the event loop's longest hold. */
async function measure(job: () => unknown): Promise<{ ms: number; heldMs: number; summary: string }> {
  await job();
  const samples: number[] = [];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await job();
    samples.push(performance.now() - t0);
    // A turn of the event loop between runs, so the delay histogram sees each run's hold.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  delay.disable();
  const s = summarize(samples);
  return { ms: s.mean, heldMs: delay.max / 1e6, summary: `mean ${formatMs(s.mean)}  min ${formatMs(s.min)}` };
}

export async function runExportsBench(): Promise<void> {
  const runner = new XlsxRunner();
  try {
    for (const [name, table] of [
      ['coverage, 2,408 grids x 12 columns', seededTable('覆盖率', 7, 3, 1)],
      ['GB 50180 check, 2,408 grids x 35 columns', seededTable('生活圈达标', 17, 16, 2)],
    ] as const) {
      const info = { title: name, description: 'bench' };
      const objects = table.rows.map((row) => Object.fromEntries(row.map((v, i) => [`c${i}`, v])));
      const json = await measure(() => new TextEncoder().encode(JSON.stringify(objects)));
      const csv = await measure(() => csvBytes(table));
      const inThread = await measure(() => xlsxBytes(table, info));
      const worker = await measure(() => runner.render(table, info));
      process.stdout.write(`\n${name} (${table.rows.length * table.columns.length} cells), ${RUNS} runs each\n`);
      const line = (label: string, m: { ms: number; heldMs: number; summary: string }) =>
        process.stdout.write(`  ${label.padEnd(24)} ${m.summary.padEnd(30)} x${(m.ms / json.ms).toFixed(1).padStart(6)} of JSON   event loop held up to ${formatMs(m.heldMs)}\n`);
      line('JSON (reference)', json);
      line('CSV', csv);
      line('xlsx, request thread', inThread);
      line('xlsx, worker', worker);
      process.stdout.write(`  the worker holds the event loop ${(inThread.heldMs / Math.max(worker.heldMs, 0.001)).toFixed(0)}x less than rendering on the request thread\n`);
    }
  } finally {
    await runner.close();
  }
}
