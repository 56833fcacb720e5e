import { useState } from 'react';
import { download, path } from '../api.js';
import { Load, Section, when } from '../components/common.js';
import { VerdictForm } from '../components/verdict-form.js';
import { href, useApi } from '../hooks.js';
import type { Verdict } from '../types.js';

/** Every verdict with who and when; a verdict on any account or campaign; the labels `npm run train` reads. */
export function VerdictsView() {
  const [cursor, setCursor] = useState<string>();
  const verdicts = useApi<{ verdicts: Verdict[]; nextCursor: string | null }>(path('/v1/verdicts', { limit: 50, cursor }));
  const [subject, setSubject] = useState<'account' | 'campaign'>('account');
  const [id, setId] = useState('');
  const [error, setError] = useState<string>();
  return (
    <>
      <h1>Verdicts</h1>
      <div className="grid">
        <Section
          title="Recorded"
          actions={
            <button type="button" onClick={() => download('/v1/verdicts/labels', 'labels.jsonl').catch((e: Error) => setError(e.message))}>
              Download labels for training
            </button>
          }
        >
          {error && <p className="error">{error}</p>}
          <Load state={verdicts}>
            {(d) => (
              <>
                <table className="verdicts">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Subject</th>
                      <th>Verdict</th>
                      <th>By</th>
                      <th>Accounts</th>
                      <th>Note</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.verdicts.map((v) => (
                      <tr key={`${v.subject}:${v.id}:${v.at}`}>
                        <td className="mono nowrap">{when(v.at)}</td>
                        <td>
                          <a href={href(v.subject, v.id)} className="mono">
                            {v.subject} {v.id}
                          </a>
                        </td>
                        <td>
                          <b>{v.verdict}</b>
                        </td>
                        <td>{v.by}</td>
                        <td>{v.accounts}</td>
                        <td className="prompt-text">{v.note}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {!d.verdicts.length && <p className="muted">No verdicts yet.</p>}
                {d.nextCursor && (
                  <button type="button" onClick={() => setCursor(d.nextCursor!)}>
                    Older verdicts
                  </button>
                )}
              </>
            )}
          </Load>
        </Section>
        <Section title="New verdict">
          <p>
            <select aria-label="subject" value={subject} onChange={(e) => setSubject(e.target.value as 'account' | 'campaign')}>
              <option value="account">account</option>
              <option value="campaign">campaign</option>
            </select>{' '}
            <input aria-label="id" placeholder="account or campaign id" value={id} onChange={(e) => setId(e.target.value.trim())} />
          </p>
          {id && <VerdictForm key={`${subject}:${id}`} subject={subject} id={id} onRecorded={verdicts.reload} />}
        </Section>
      </div>
    </>
  );
}
