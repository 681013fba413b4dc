import { useState } from 'react';
import type { ParameterView } from '@shared/channels/parameters';
import type { Credential } from '@shared/contract';
import { maskKeyId } from '@shared/mask';
import { BINDABLE_FIELDS, normaliseParameterValue } from '@shared/parameters';
import { Button } from '../ui/Button';
import { change } from './store';

/** One parameter: inline edit validated by its type; a secret is write-only; bind to a credential field. */
export function ParameterRow({ p, credentials }: { p: ParameterView; credentials: Credential[] }) {
  const [editing, setEditing] = useState(false);
  const [binding, setBinding] = useState(false);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [bindTo, setBindTo] = useState({ credentialId: '', field: p.type === 'secret' ? 'secretAccessKey' : 'accessKeyId' });

  const local = editing ? normaliseParameterValue(p.type, draft, p.choices) : null;
  const localError = editing && draft !== '' && local && 'error' in local ? local.error : null;

  async function save() {
    const err = await change('parameters.set', { key: p.key, value: draft });
    setError(err);
    if (!err) setEditing(false);
  }
  async function bind() {
    const err = await change('parameters.bind', { key: p.key, credentialId: bindTo.credentialId, field: bindTo.field as (typeof BINDABLE_FIELDS)[number] });
    setError(err);
    if (!err) setBinding(false);
  }

  return (
    <tr data-parameter-key={p.key}>
      <td className="mono">{p.key}</td>
      <td>{p.label}</td>
      <td>{p.type}</td>
      <td data-testid="parameter-value">
        {editing ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            {p.type === 'boolean' ? (
              <select aria-label={`Value of ${p.key}`} value={draft} onChange={(e) => setDraft(e.target.value)}>
                <option value="">—</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : p.type === 'choice' ? (
              <select aria-label={`Value of ${p.key}`} value={draft} onChange={(e) => setDraft(e.target.value)}>
                <option value="">—</option>
                {(p.choices ?? []).map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            ) : (
              <input
                aria-label={`Value of ${p.key}`}
                type={p.type === 'secret' ? 'password' : p.type === 'number' ? 'text' : 'text'}
                inputMode={p.type === 'number' ? 'decimal' : undefined}
                autoComplete="off"
                value={draft}
                placeholder={p.type === 'secret' ? 'Type a new value' : ''}
                onChange={(e) => setDraft(e.target.value)}
                data-autofocus
              />
            )}
            <Button size="sm" variant="primary" type="submit" disabled={!draft || !!localError}>
              Save
            </Button>
            <Button
              size="sm"
              onClick={() => {
                setEditing(false);
                setError(null);
              }}
            >
              Cancel
            </Button>
            {(localError ?? error) && (
              <div className="field-error" role="alert">
                {localError ?? error}
              </div>
            )}
          </form>
        ) : p.type === 'secret' ? (
          <span className="mono">{p.hasValue ? '••••••••' : <span className="muted">not set</span>}</span>
        ) : (
          // An access key id is an identifier, not a secret, but the desktop shows it masked.
          <span className="mono">{p.value === null ? <span className="muted">not set</span> : p.awsField === 'accessKeyId' ? maskKeyId(p.value) : p.value}</span>
        )}
      </td>
      <td data-testid="parameter-bound">
        {p.boundTo ? `${p.boundTo.credentialName} · ${p.boundTo.field}` : ''}
        {binding && (
          <div>
            <select aria-label={`Credential for ${p.key}`} value={bindTo.credentialId} onChange={(e) => setBindTo({ ...bindTo, credentialId: e.target.value })}>
              <option value="">Choose a credential…</option>
              {credentials
                .filter((c) => c.provider === 'AWS')
                .map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
            </select>
            <select aria-label={`Field for ${p.key}`} value={bindTo.field} onChange={(e) => setBindTo({ ...bindTo, field: e.target.value })}>
              {BINDABLE_FIELDS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
            <Button size="sm" variant="primary" onClick={() => void bind()} disabled={!bindTo.credentialId}>
              Bind
            </Button>
            <Button size="sm" onClick={() => setBinding(false)}>
              Cancel
            </Button>
            {error && (
              <div className="field-error" role="alert">
                {error}
              </div>
            )}
          </div>
        )}
      </td>
      <td className="cell-muted">{p.updatedAt.slice(0, 19).replace('T', ' ')}</td>
      <td className="cell-actions">
        {!p.boundTo && !editing && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setDraft(p.type === 'secret' ? '' : (p.value ?? ''));
              setEditing(true);
            }}
          >
            Edit
          </Button>
        )}
        {p.boundTo ? (
          <Button size="sm" variant="ghost" onClick={() => void change('parameters.unbind', { key: p.key })}>
            Unbind
          </Button>
        ) : (
          !binding && (
            <Button size="sm" variant="ghost" onClick={() => setBinding(true)}>
              Bind
            </Button>
          )
        )}
      </td>
    </tr>
  );
}
