import { useState, type FormEvent } from 'react';
import { postJson } from '../api.js';
import type { Verdict, VerdictKind } from '../types.js';

const MEANING: Record<VerdictKind, string> = {
  malicious: 'extraction: labelled for training',
  benign: 'allow-listed: not flagged again unless new evidence arrives',
  unsure: 'recorded, changes nothing',
};

/** Records an analyst's verdict on an account or campaign, with a note; the API keeps who and when. */
export function VerdictForm({ subject, id, onRecorded }: { subject: 'account' | 'campaign'; id: string; onRecorded?: (v: Verdict) => void }) {
  const [verdict, setVerdict] = useState<VerdictKind>('malicious');
  const [note, setNote] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const v = await postJson<Verdict>('/v1/verdicts', { subject, id, verdict, note });
      setStatus({ ok: true, text: `Recorded ${v.verdict} for ${v.accounts} account(s) by ${v.by}.` });
      setNote('');
      onRecorded?.(v);
    } catch (err) {
      setStatus({ ok: false, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="verdict-form" onSubmit={submit} aria-label={`verdict on ${subject}`}>
      <fieldset>
        {(Object.keys(MEANING) as VerdictKind[]).map((k) => (
          <label key={k} title={MEANING[k]}>
            <input type="radio" name="verdict" value={k} checked={verdict === k} onChange={() => setVerdict(k)} /> {k}
          </label>
        ))}
      </fieldset>
      <p className="muted">{MEANING[verdict]}</p>
      <textarea name="note" placeholder="Why (kept with the verdict)" maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      <button type="submit" disabled={busy}>
        Record verdict
      </button>
      {status && (
        <p className={status.ok ? 'ok' : 'error'} role="status">
          {status.text}
        </p>
      )}
    </form>
  );
}
