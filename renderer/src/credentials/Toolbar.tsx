import { CREDENTIAL_STATUSES } from '@shared/contract';
import { PROVIDER_IDS, PROVIDERS } from '@shared/providers';
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
      <FilterSelect label="Provider filter" value={provider} onChange={setProviderFilter} all="All providers" options={PROVIDER_IDS.map((p) => [p, PROVIDERS[p].label])} />
      <FilterSelect label="Status filter" value={status} onChange={setStatusFilter} all="All statuses" options={CREDENTIAL_STATUSES.map((s) => [s, STATUS_LABELS[s]])} />
      <span className="counter" data-testid="credential-count">
        {shown} of {total} credentials
      </span>
    </div>
  );
}

/** A filter of the list: "all" first, then each value by its label. */
function FilterSelect<V extends string>(props: { label: string; value: V | ''; onChange: (v: V | '') => void; all: string; options: Array<[V, string]> }) {
  return (
    <select className="filter-select" aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value as V | '')}>
      <option value="">{props.all}</option>
      {props.options.map(([value, label]) => (
        <option key={value} value={value}>
          {label}
        </option>
      ))}
    </select>
  );
}
