import { z } from 'zod';

/** Sub-area ids are `area.sub`; `other.other` is where the classifier rejects to. */
export const OTHER = 'other.other';

const slug = z.string().regex(/^[a-z][a-z0-9_]{0,40}$/, 'ids are lowercase letters, digits and _');

const subAreaSchema = z.object({
  id: slug,
  label: z.string().min(1),
  exemplars: z.array(z.string().min(1)),
});

const areaSchema = z.object({
  id: slug,
  label: z.string().min(1),
  highValue: z.boolean(),
  subAreas: z.array(subAreaSchema).min(1),
});

export const taxonomySchema = z
  .object({
    version: z.string().min(1),
    description: z.string().optional(),
    classifier: z.object({
      /** Sub-area score: mean similarity of its k nearest exemplars. */
      k: z.number().int().min(1).max(20),
      /** Below this sub-area score a prompt is rejected to `other.other`. */
      minSimilarity: z.number().min(-1).max(1),
      /** Softmax temperature turning sub-area scores into a confidence. */
      temperature: z.number().positive(),
      /**
       * Cheap lexical evidence the bag-of-words vector misses (a HumanEval docstring embeds near
       * maths): when `pattern` matches the text, every sub-area of each listed area gets the bonus.
       */
      cues: z
        .array(
          z.object({
            why: z.string().min(1),
            pattern: z.string().min(1),
            flags: z.string().regex(/^[imsu]*$/).default(''),
            areaBoost: z.record(slug, z.number().min(-1).max(1)),
          }),
        )
        .default([]),
    }),
    areas: z.array(areaSchema).min(1),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    for (const a of t.areas) {
      for (const s of a.subAreas) {
        const id = `${a.id}.${s.id}`;
        if (seen.has(id)) ctx.addIssue({ code: 'custom', message: `duplicate sub-area ${id}` });
        seen.add(id);
      }
    }
    const areas = new Set(t.areas.map((a) => a.id));
    for (const cue of t.classifier.cues) {
      try {
        new RegExp(cue.pattern, cue.flags);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: `cue "${cue.why}": ${(err as Error).message}` });
      }
      for (const a of Object.keys(cue.areaBoost)) {
        if (!areas.has(a)) ctx.addIssue({ code: 'custom', message: `cue "${cue.why}" boosts unknown area ${a}` });
      }
    }
    if (!seen.has(OTHER)) ctx.addIssue({ code: 'custom', message: `the taxonomy needs an ${OTHER} sub-area` });
    const withExemplars = t.areas.flatMap((a) => a.subAreas.filter((s) => s.exemplars.length > 0));
    if (withExemplars.length < 2) ctx.addIssue({ code: 'custom', message: 'at least two sub-areas need exemplars' });
  });

export type Taxonomy = z.infer<typeof taxonomySchema>;

export interface SubAreaInfo {
  id: string;
  area: string;
  label: string;
  highValue: boolean;
}

export function subAreas(taxonomy: Taxonomy): SubAreaInfo[] {
  return taxonomy.areas.flatMap((a) =>
    a.subAreas.map((s) => ({ id: `${a.id}.${s.id}`, area: a.id, label: s.label, highValue: a.highValue })),
  );
}

