import { useState, type FormEvent } from 'react';
import { path } from '../api.js';
import { AccountLink, ClusterLink, Load, Section, when } from '../components/common.js';
import { styled, Table } from '../components/table.js';
import { useApi, type Route } from '../hooks.js';
import type { SearchHit } from '../types.js';

const FIELDS = ['text', 'mode', 'accountId', 'campaign', 'area', 'from', 'to'] as const;
type Form = Record<(typeof FIELDS)[number], string>;

/** A date input's day as the API's time: from the start of the day, to the start of the next. */
const dayStart = (day: string, plusDays = 0) => (day ? new Date(Date.parse(`${day}T00:00:00Z`) + plusDays * 86_400_000).toISOString() : undefined);

/** Hybrid (words and meaning), vector or word search with filters; the query lives in the address, so a search can be shared. */
export function SearchView({ route }: { route: Route }) {
  const fromRoute = Object.fromEntries(FIELDS.map((f) => [f, route.query.get(f) ?? (f === 'mode' ? 'hybrid' : '')])) as Form;
  const [form, setForm] = useState<Form>(fromRoute);
  const q = fromRoute;
  const url = q.text ? path('/v1/search', { text: q.text, mode: q.mode, accountId: q.accountId, campaign: q.campaign, area: q.area, from: dayStart(q.from), to: dayStart(q.to, 1), k: 50 }) : null;
  const results = useApi<{ mode: string; hits: SearchHit[] }>(url);
  function submit(e: FormEvent) {
    e.preventDefault();
    const query = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== ''));
    location.hash = `#/search?${query}`;
  }
  const field = (name: keyof Form, placeholder: string, type = 'text') => (
    <input name={name} type={type} placeholder={placeholder} aria-label={placeholder} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
  );
  return (
    <>
      <h1>Search prompts</h1>
      <form className="filters search" onSubmit={submit}>
        {field('text', 'what to look for, e.g. reverse a linked list')}
        <select name="mode" aria-label="mode" value={form.mode} onChange={(e) => setForm({ ...form, mode: e.target.value })}>
          <option value="hybrid">hybrid</option>
          <option value="vector">meaning (vector)</option>
          <option value="lexical">words (BM25)</option>
        </select>
        {field('accountId', 'account')}
        {field('campaign', 'campaign')}
        {field('area', 'area (swe, math, …)')}
        <label>from {field('from', 'from day', 'date')}</label>
        <label>to {field('to', 'to day', 'date')}</label>
        <button type="submit">Search</button>
      </form>
      {url && (
        <Section title="Results">
          <Load state={results}>
            {(r) => (
              <Table
                className="prompts"
                head={['Prompt', 'Account', 'Cluster', 'Similarity', 'Word score', 'Sent']}
                rows={r.hits}
                rowKey={(h) => h.promptId}
                cells={(h) => [
                  styled('prompt-text', h.text),
                  <AccountLink id={h.accountId} />,
                  h.clusterId ? <ClusterLink id={h.clusterId} /> : '—',
                  h.similarity.toFixed(3),
                  h.lexicalScore == null ? '—' : h.lexicalScore.toFixed(1),
                  styled('mono nowrap', when(h.ts)),
                ]}
                empty="Nothing matches."
              />
            )}
          </Load>
        </Section>
      )}
    </>
  );
}
