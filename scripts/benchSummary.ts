/** Prints benchmark samples as the Markdown table docs/benchmarks.md uses, with the machine. */
import os from 'node:os';

/** The `p`th percentile of `sorted` (ascending), by the nearest-rank method. */
export function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** The machine a benchmark ran on, as the line above its table: CPUs, memory and Node version, then `extra`. */
export function machineLine(extra = ''): string {
  return `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}${extra}\n`;
}

/** One row per named sample set: count, median, p95, min and max in milliseconds. */
export function printSummaryTable(measure: string, rows: Array<[label: string, samples: number[]]>): void {
  const fmt = (value: number) => `${Math.round(value)} ms`;
  console.log(machineLine());
  console.log(`| ${measure} | runs | median | p95 | min | max |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [label, samples] of rows) {
    const sorted = [...samples].sort((a, b) => a - b);
    console.log(
      `| ${label} | ${samples.length} | ${fmt(percentile(sorted, 50))} | ${fmt(percentile(sorted, 95))} | ${fmt(sorted[0]!)} | ${fmt(sorted.at(-1)!)} |`,
    );
  }
}
