import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The fields of ../shared/tools/score-accounts.mjs output the eval table shows. */
export interface ScoreReport {
  accounts: number;
  auroc: number;
  recallAtFpr0_1pct: number;
  recallAtFpr1pct: number;
  flags: { recall: number; falsePositiveRate: number };
  /** Null when no account has a clusterId. */
  campaignPairs: { precision: number; recall: number } | null;
  perArchetype: Record<string, { label: string; accounts: number; flagged: number; aboveFpr1pct: number }>;
}

/** Runs the shared scorer on one detector's output, so every detector is measured the same way. */
export async function scoreAccounts(tool: string, labels: string, scores: string): Promise<ScoreReport> {
  const { stdout } = await run(process.execPath, [tool, '--labels', labels, '--scores', scores], { maxBuffer: 16 << 20 });
  return JSON.parse(stdout) as ScoreReport;
}
