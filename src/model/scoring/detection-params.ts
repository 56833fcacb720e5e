import { z } from 'zod';
import { ACTIONS, type ActionRule } from './actions.js';
import { TIERS, type Tier } from './score.js';

/** Every tunable carries the reason for its value: a number nobody can explain is not shipped. */
const param = <T extends z.ZodTypeAny>(value: T) => z.object({ value, reason: z.string().min(20) }).strict();
const share = z.number().min(0).max(1);

export const detectionParamsSchema = z
  .object({
    version: z.string().min(1),
    description: z.string().optional(),
    llrClip: param(z.number().positive().max(20)),
    organicTolerance: param(share),
    highValueOnly: param(z.boolean()),
    minPrompts: param(z.number().int().min(1)),
    templatedJob: param(
      z
        .object({ from: share, to: share, minPrompts: z.number().int().min(1), maxAccounts: z.number().int().min(1) })
        .strict()
        .refine((t) => t.from < t.to, 'templatedJob.from must be below templatedJob.to'),
    ),
    calibration: param(
      z.object({ watch: share, review: share, block: share, confidence: share, blockMarginNats: z.number().min(0) }).strict(),
    ),
    actions: param(
      z.array(
        z
          .object({
            action: z.enum(ACTIONS),
            minTier: z.enum(TIERS as [Tier, ...Tier[]]).optional(),
            minPrompts: z.number().int().min(1).optional(),
            campaignMinTier: z.enum(TIERS as [Tier, ...Tier[]]).optional(),
          })
          .strict()
          .refine((r) => r.minTier || r.minPrompts || r.campaignMinTier, 'an action rule needs at least one condition'),
      ),
    ),
    linking: param(
      z.object({ maxKeyShare: share, ubiquitousFrom: z.number().int().min(0), waveTail: share, hintCap: z.number().min(0), threshold: z.number().positive(), inheritMinNats: z.number().min(0) }).strict(),
    ),
    linkWeights: param(
      z
        .object({
          template: z.number().min(0),
          nearDuplicate: z.number().min(0),
          synchrony: z.number().min(0),
          countHalf: z.number().min(0),
          infrastructure: z.record(z.number().min(0)),
          neighbours: z.number().int().min(1),
          nearDuplicateSimilarity: share,
          partnersPerKey: z.number().int().min(1),
          minWeight: z.number().min(0),
          index: z.object({ m: z.number().int().min(2), efConstruction: z.number().int().min(1), efSearch: z.number().int().min(1) }).strict(),
        })
        .strict(),
    ),
    fleetLinking: param(z.object({ minMembers: z.number().int().min(2), minAgreement: share, minNats: z.number().positive() }).strict()),
    fleetMonitor: param(
      z
        .object({
          youngDays: z.number().positive(),
          baselineHours: z.number().int().min(1),
          minBaselineHours: z.number().int().min(1),
          alertFactor: z.number().min(1),
          alertMinPrompts: z.number().int().min(1),
          topAccounts: z.number().int().min(1),
          pivotHours: z.number().positive(),
          pivotMinExposed: z.number().int().min(1),
          pivotMinNats: z.number().positive(),
        })
        .strict()
        .refine((m) => m.minBaselineHours <= m.baselineHours, 'fleetMonitor.minBaselineHours must not exceed baselineHours'),
    ),
  })
  .strict();

export type DetectionParamsFile = z.infer<typeof detectionParamsSchema>;

/** The values alone, as the model reads them. */
export interface DetectionParams {
  version: string;
  llrClip: number;
  organicTolerance: number;
  highValueOnly: boolean;
  minPrompts: number;
  templatedJob: { from: number; to: number; minPrompts: number; maxAccounts: number };
  calibration: { watch: number; review: number; block: number; confidence: number; blockMarginNats: number };
  actions: ActionRule[];
  linking: DetectionParamsFile['linking']['value'];
  linkWeights: DetectionParamsFile['linkWeights']['value'];
  fleetLinking: DetectionParamsFile['fleetLinking']['value'];
  fleetMonitor: DetectionParamsFile['fleetMonitor']['value'];
}

export function detectionParamsFrom(file: DetectionParamsFile): DetectionParams {
  return {
    version: file.version,
    llrClip: file.llrClip.value,
    organicTolerance: file.organicTolerance.value,
    highValueOnly: file.highValueOnly.value,
    minPrompts: file.minPrompts.value,
    templatedJob: file.templatedJob.value,
    calibration: file.calibration.value,
    actions: file.actions.value,
    linking: file.linking.value,
    linkWeights: file.linkWeights.value,
    fleetLinking: file.fleetLinking.value,
    fleetMonitor: file.fleetMonitor.value,
  };
}
