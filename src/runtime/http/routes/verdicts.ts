import type Router from '@koa/router';
import { z } from 'zod';
import type { AccountReads, CampaignReads } from '../../../app/queries.js';
import { recordVerdict, type VerdictStore } from '../../../app/verdicts.js';
import { labelsOf, verdictInput } from '../../../model/verdicts.js';
import type { Config } from '../../config.js';
import type { Caller } from '../auth.js';
import { requireScope } from '../auth.js';
import { assertValid, readJsonBody } from '../body.js';
import { decodeCursor, nextCursor, pageFields } from '../cursor.js';
import { presentVerdict } from '../presenter.js';

/** What verdicts need: where they live, what they are about. */
export interface VerdictRouteDeps {
  config: Pick<Config, 'MAX_BODY_BYTES'>;
  verdicts: VerdictStore;
  accounts: AccountReads;
  campaigns: CampaignReads;
}

const listQuery = z.object(pageFields(500, 50)).strict();

export function verdictRoutes(router: Router, deps: VerdictRouteDeps): void {
  /** An analyst's decision on an account or campaign, kept with who and when. */
  router.post('/v1/verdicts', requireScope('analyst'), async (ctx) => {
    const parsed = verdictInput.safeParse(await readJsonBody(ctx, deps.config.MAX_BODY_BYTES));
    assertValid(parsed);
    const caller = ctx.state.caller as Caller;
    const v = await recordVerdict(deps.verdicts, deps, parsed.data!, caller.kind === 'key' ? caller.key.name : 'anonymous', Date.now());
    ctx.status = 201;
    ctx.body = presentVerdict(v);
  });

  router.get('/v1/verdicts', requireScope('analyst'), async (ctx) => {
    const q = listQuery.safeParse(ctx.query);
    assertValid(q);
    const offset = decodeCursor(q.data!.cursor);
    const page = await deps.verdicts.page({ offset, limit: q.data!.limit });
    ctx.body = { verdicts: page.items.map(presentVerdict), nextCursor: nextCursor(offset, q.data!.limit, page.fetched) };
  });

  /** Labels for `npm run train -- --traffic T --labels L`: one JSON line per account. */
  router.get('/v1/verdicts/labels', requireScope('analyst'), async (ctx) => {
    ctx.type = 'application/x-ndjson';
    ctx.body = labelsOf(await deps.verdicts.all())
      .map((l) => JSON.stringify(l) + '\n')
      .join('');
  });
}
