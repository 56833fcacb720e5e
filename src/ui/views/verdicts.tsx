import { useState } from 'react';
import { download, path } from '../api.js';
import { Load, Section, when } from '../components/common.js';
import { styled, Table } from '../components/table.js';
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
                <Table
                  className="verdicts"
                  head={['When', 'Subject', 'Verdict', 'By', 'Accounts', 'Note']}
                  rows={d.verdicts}
                  rowKey={(v) => `${v.subject}:${v.id}:${v.at}`}
                  cells={(v) => [
                    styled('mono nowrap', when(v.at)),
                    <a href={href(v.subject, v.id)} className="mono">
                      {v.subject} {v.id}
                    </a>,
                    <b>{v.verdict}</b>,
                    v.by,
                    v.accounts,
                    styled('prompt-text', v.note),
                  ]}
                  empty="No verdicts yet."
                />
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
