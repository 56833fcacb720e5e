import pg from 'pg';
import { archiveKey, type PromptArchive } from '../../app/prompt-archive.js';

/**
 * Prompt bodies in PostgreSQL, one row per prompt, keyed by deployment prefix, account and prompt
 * (a primary-key lookup per page of prompts). Bodies arrive deflated (promptBody in the Redis
 * schema): PostgreSQL compresses only values over about 2 KB itself, and most prompts are shorter.
 */
export class PostgresPromptArchive implements PromptArchive {
  private constructor(
    private readonly pool: pg.Pool,
    private readonly prefix: string,
  ) {}

  static async open(url: string, prefix: string): Promise<PostgresPromptArchive> {
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    const client = await pool.connect();
    try {
      // Several processes may start at once: one creates the table, the others wait for it.
      await client.query('SELECT pg_advisory_lock(hashtext($1))', ['distill-radar:prompt_bodies']);
      await client.query(`CREATE TABLE IF NOT EXISTS prompt_bodies (
        prefix text NOT NULL, account_id text NOT NULL, prompt_id text NOT NULL, ts bigint NOT NULL, body bytea NOT NULL,
        PRIMARY KEY (prefix, account_id, prompt_id))`);
      await client.query('CREATE INDEX IF NOT EXISTS prompt_bodies_by_id ON prompt_bodies (prefix, prompt_id)');
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['distill-radar:prompt_bodies']);
    } finally {
      client.release();
    }
    return new PostgresPromptArchive(pool, prefix);
  }

  async put(rows: readonly { accountId: string; promptId: string; ts: number; body: Buffer }[]): Promise<void> {
    if (!rows.length) return;
    await this.pool.query(
      `INSERT INTO prompt_bodies (prefix, account_id, prompt_id, ts, body)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bytea[]) ON CONFLICT DO NOTHING`,
      [this.prefix, rows.map((r) => r.accountId), rows.map((r) => r.promptId), rows.map((r) => r.ts), rows.map((r) => r.body)],
    );
  }

  async get(refs: readonly { promptId: string; accountId?: string | undefined }[]): Promise<Map<string, Buffer>> {
    const out = new Map<string, Buffer>();
    if (!refs.length) return out;
    const res = await this.pool.query<{ account_id: string; prompt_id: string; body: Buffer }>(
      'SELECT account_id, prompt_id, body FROM prompt_bodies WHERE prefix = $1 AND prompt_id = ANY($2::text[])',
      [this.prefix, [...new Set(refs.map((r) => r.promptId))]],
    );
    for (const row of res.rows) out.set(archiveKey(row.account_id, row.prompt_id), row.body);
    return out;
  }

  async delete(accountId: string, promptIds: readonly string[]): Promise<void> {
    if (!promptIds.length) return;
    await this.pool.query('DELETE FROM prompt_bodies WHERE prefix = $1 AND account_id = $2 AND prompt_id = ANY($3::text[])', [this.prefix, accountId, promptIds]);
  }

  /** Every body of this prefix (bench and test clean-up), and the bytes the table holds. */
  async deleteAll(): Promise<void> {
    await this.pool.query('DELETE FROM prompt_bodies WHERE prefix = $1', [this.prefix]);
  }

  async bytes(): Promise<number> {
    const res = await this.pool.query<{ n: string }>("SELECT pg_total_relation_size('prompt_bodies') AS n");
    return Number(res.rows[0]!.n);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
