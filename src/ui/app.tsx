import { useState, type FormEvent } from 'react';
import { apiKey } from './api.js';
import { useRoute, type Route } from './hooks.js';
import { AccountView } from './views/account.js';
import { CampaignView } from './views/campaign.js';
import { ClustersView, ClusterView } from './views/clusters.js';
import { Overview } from './views/overview.js';
import { SearchView } from './views/search.js';
import { VerdictsView } from './views/verdicts.js';

const NAV = [
  ['#/', 'Overview'],
  ['#/clusters', 'Clusters'],
  ['#/search', 'Search'],
  ['#/verdicts', 'Verdicts'],
] as const;

function View({ route }: { route: Route }) {
  const [page, id] = route.parts;
  switch (page) {
    case undefined:
      return <Overview />;
    case 'account':
      return <AccountView id={id!} key={id} />;
    case 'campaign':
      return <CampaignView id={id!} key={id} />;
    case 'clusters':
      return <ClustersView />;
    case 'cluster':
      return <ClusterView id={id!} key={id} />;
    case 'search':
      return <SearchView route={route} key={route.query.toString()} />;
    case 'verdicts':
      return <VerdictsView />;
    default:
      return <p className="error">No such page: {page}</p>;
  }
}

/** The analyst's key, pasted once and kept in this tab's session storage. */
function KeyBox({ onChange }: { onChange(): void }) {
  const [draft, setDraft] = useState('');
  const held = apiKey.get() !== '';
  function save(e: FormEvent) {
    e.preventDefault();
    apiKey.set(draft.trim());
    setDraft('');
    onChange();
  }
  if (held)
    return (
      <span className="key">
        key set{' '}
        <button
          type="button"
          onClick={() => {
            apiKey.set('');
            onChange();
          }}
        >
          forget
        </button>
      </span>
    );
  return (
    <form className="key" onSubmit={save}>
      <input type="password" name="api-key" placeholder="API key" aria-label="API key" autoComplete="off" value={draft} onChange={(e) => setDraft(e.target.value)} />
      <button type="submit">Use key</button>
    </form>
  );
}

export function App() {
  const route = useRoute();
  const [keyVersion, setKeyVersion] = useState(0);
  const current = `#/${route.parts[0] ?? ''}`;
  return (
    <>
      <header className="top">
        <b className="brand">distill-radar</b>
        <nav>
          {NAV.map(([to, label]) => (
            <a key={to} href={to} className={current === to || (to === '#/clusters' && current === '#/cluster') ? 'active' : ''}>
              {label}
            </a>
          ))}
        </nav>
        <KeyBox onChange={() => setKeyVersion((v) => v + 1)} />
      </header>
      <main key={keyVersion}>
        <View route={route} />
      </main>
    </>
  );
}
