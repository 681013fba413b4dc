import { CREDENTIAL_STATUSES, type CredentialStatus } from '@shared/contract';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '@shared/providers';
import { STATUS_LABELS } from './filter';
import { setProviderFilter, setQuery, setStatusFilter, useCredentials } from './store';

export const SEARCH_INPUT_ID = 'credential-search';

export function Toolbar({ shown, total }: { shown: number; total: number }) {
  const query = useCredentials((s) => s.query);
  const provider = useCredentials((s) => s.provider);
  const status = useCredentials((s) => s.status);

  return (
    <div className="toolbar" role="search">
      <input
        id={SEARCH_INPUT_ID}
        className="search-input"
        type="search"
        aria-label="Search credentials"
        placeholder="Search by name…"
        title="Search by name (press /)"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
        spellCheck={false}
      />
      <select
        className="filter-select"
        aria-label="Provider filter"
        value={provider}
        onChange={(e) => setProviderFilter(e.target.value as ProviderId | '')}
      >
        <option value="">All providers</option>
        {PROVIDER_IDS.map((p) => (
          <option key={p} value={p}>
            {PROVIDERS[p].label}
          </option>
        ))}
      </select>
      <select
        className="filter-select"
        aria-label="Status filter"
        value={status}
        onChange={(e) => setStatusFilter(e.target.value as CredentialStatus | '')}
      >
        <option value="">All statuses</option>
        {CREDENTIAL_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </select>
      <span className="counter" data-testid="credential-count">
        {shown} of {total} credentials
      </span>
    </div>
  );
}
