import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { parseAccessKeyCsv, type AccessKeyFromCsv } from '@shared/access-key-csv';
import type { Credential, Request } from '@shared/contract';
import { PROVIDER_IDS, PROVIDERS, validateFields, validateName, type CredentialType, type FieldDef, type ProviderId } from '@shared/providers';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { EyeIcon, EyeOffIcon } from '../ui/icons';
import { SEARCH_INPUT_ID } from './Toolbar';
import { credentialSaved, focusCredentialRow } from './store';
import { Field } from '../ui/Field';
import { FormError, useFormAction } from '../ui/useFormAction';
import { showToast } from '../ui/toast';
import { InlineCode } from './Remedy';
import { StatusBadge } from './StatusBadge';
import { vaultFieldDefaults, type VaultSettings } from '@shared/channels/settings';
import { loadVaultSettings, useVaultSettings } from '../settings/store';

export type CredentialFormProps = { mode: 'add'; credential?: undefined } | { mode: 'edit'; credential: Credential };

const NAME_KEY = '__name';
const UNCHANGED_SECRET = 'unchanged — type to replace';

/** A new credential starts from the vault's defaults (Settings → default AWS region), then the provider's. */
function initialValues(provider: ProviderId, settings: VaultSettings | null, credential?: Credential): Record<string, string> {
  const values: Record<string, string> = {};
  const vaultDefaults = settings ? vaultFieldDefaults(settings, provider) : {};
  for (const f of PROVIDERS[provider].fields) {
    if (f.derived) continue; // read from another field when saved; shown in the details, never typed
    // A stored secret never comes back: in edit mode the input starts empty.
    values[f.key] = f.secret ? '' : (credential?.fields[f.key] ?? vaultDefaults[f.key] ?? f.defaultValue ?? '');
  }
  return values;
}

/**
 * Add or edit a credential. Fields come from the provider's definition in shared/, and
 * so do the validators: the form says exactly what main would say, before sending.
 */
export function CredentialForm({ mode, credential, onClose }: CredentialFormProps & { onClose: () => void }) {
  const editing = mode === 'edit';
  const [name, setName] = useState(credential?.name ?? '');
  const [provider, setProvider] = useState<ProviderId>(credential?.provider ?? 'AWS');
  const [type, setType] = useState<CredentialType>(credential?.type ?? PROVIDERS.AWS.types[0]!);
  const settings = useVaultSettings((s) => s.settings);
  const [values, setValues] = useState(() => initialValues(credential?.provider ?? 'AWS', settings, credential));
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [revealed, setRevealed] = useState<ReadonlySet<string>>(() => new Set());
  const { busy: submitting, error: serverError, setError: setServerError, run } = useFormAction();
  const [test, setTest] = useState<TestOutcome | null>(null);
  const [testing, setTesting] = useState(false);
  const ids = { name: useId(), provider: useId(), type: useId(), base: useId(), formError: useId() };

  const def = PROVIDERS[provider];
  const nameError = validateName(name);
  const fieldErrors = useMemo(() => validateFields(provider, values, { partial: editing }), [provider, values, editing]);
  const invalid = nameError !== null || Object.keys(fieldErrors).length > 0;

  // The vault's defaults may arrive after the dialog opened: they fill what was not typed yet.
  useEffect(() => {
    if (!settings) void loadVaultSettings();
  }, [settings]);
  useEffect(() => {
    if (editing || !settings) return;
    const defaults = vaultFieldDefaults(settings, provider);
    setValues((v) => {
      const next = { ...v };
      for (const [k, d] of Object.entries(defaults)) if (!touched.has(k) && k in next) next[k] = d;
      return next;
    });
    // Only when the settings arrive or the provider changes; `touched` is read, not watched.
  }, [settings, provider, editing]);

  const touch = (key: string) => setTouched((t) => (t.has(key) ? t : new Set(t).add(key)));
  const touchAll = () => setTouched(new Set([NAME_KEY, ...def.fields.map((f) => f.key)]));
  const shownError = (key: string, error: string | null | undefined) => (touched.has(key) && error ? error : null);

  function changeProvider(next: ProviderId) {
    setProvider(next);
    setType(PROVIDERS[next].types[0]!);
    setValues(initialValues(next, settings));
    setRevealed(new Set());
    setTouched((t) => new Set([...t].filter((k) => k === NAME_KEY)));
  }

  function setValue(key: string, value: string) {
    setValues((v) => ({ ...v, [key]: value }));
    touch(key);
    setServerError(null);
    setTest(null);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (submitting) return;
    if (invalid) {
      touchAll();
      return;
    }
    void run(async () => {
      let saved: Credential;
      if (!editing) {
        const fields = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
        saved = await api().invoke('credentials.add', { name: name.trim(), provider, type, fields, verify: true });
      } else {
        const request = changesFor(credential, name, values);
        if (!request.name && !request.fields) {
          onClose();
          return;
        }
        saved = await api().invoke('credentials.update', request);
      }
      credentialSaved(saved);
      showToast('success', editing ? `Saved “${saved.name}”. Testing the connection…` : `Created “${saved.name}”. Testing the connection…`);
      onClose();
      // Focus follows the admin's work: to the new (or edited) row, not back to the shell.
      focusCredentialRow(saved.id);
    });
  }

  /** Test connection before saving: the same provider check, on what the form holds now. */
  async function testConnection() {
    if (Object.keys(fieldErrors).length > 0) {
      touchAll();
      return;
    }
    setTesting(true);
    setTest(null);
    try {
      const fields = editing ? (changesFor(credential, name, values).fields ?? {}) : Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
      const r = await api().invoke('credentials.test', { id: credential?.id, provider, fields });
      setTest({
        status: r.status,
        detail: r.status === 'VALID' ? (r.identity?.arn ?? r.identity?.principal ?? 'The provider accepted it.') : (r.diagnosis?.cause ?? r.error?.message ?? ''),
        code: r.error?.code ?? null,
      });
    } catch (err) {
      setTest({ status: 'INVALID', detail: errorMessage(err), code: null });
    } finally {
      setTesting(false);
    }
  }

  // Enter on an invalid form shows every message instead of doing nothing.
  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key === 'Enter' && invalid && e.target instanceof HTMLInputElement) {
      e.preventDefault();
      touchAll();
    }
  }

  return (
    <Dialog title={editing ? 'Edit credential' : 'Add Credential'} onClose={onClose} fallbackFocus={() => document.getElementById(SEARCH_INPUT_ID)}>
      <form className="form" onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-describedby={serverError ? ids.formError : undefined}>
        <div className="dialog-body">
          <Field id={ids.name} label="Name" error={shownError(NAME_KEY, nameError)}>
            {(describedBy) => (
              <input
                id={ids.name}
                type="text"
                value={name}
                placeholder="e.g. AWS Production"
                autoComplete="off"
                spellCheck={false}
                data-autofocus
                onChange={(e) => {
                  setName(e.target.value);
                  touch(NAME_KEY);
                  setServerError(null);
                }}
                onBlur={() => touch(NAME_KEY)}
                aria-invalid={shownError(NAME_KEY, nameError) !== null}
                aria-describedby={describedBy}
              />
            )}
          </Field>

          <div className="field-row">
            <Field id={ids.provider} label="Provider">
              {() => (
                <select id={ids.provider} value={provider} disabled={editing} onChange={(e) => changeProvider(e.target.value as ProviderId)}>
                  {PROVIDER_IDS.map((p) => (
                    <option key={p} value={p}>
                      {PROVIDERS[p].label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={ids.type} label="Type">
              {() => (
                <select id={ids.type} value={type} disabled={editing} onChange={(e) => setType(e.target.value as CredentialType)}>
                  {def.types.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>

          {def.fillFrom === 'aws-access-key-csv' && (
            <AccessKeyCsvPicker
              onKey={(key) => {
                setValues((v) => ({ ...v, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }));
                setTouched((t) => new Set([...t, 'accessKeyId', 'secretAccessKey']));
                if (!name && key.userName) setName(key.userName);
                setServerError(null);
              }}
              onError={setServerError}
            />
          )}

          {def.fields
            .filter((f) => !f.derived)
            .map((f) => {
              const id = `${ids.base}-${provider}-${f.key}`;
              return (
                <Field key={`${provider}-${f.key}`} id={id} label={f.label} help={f.help} optional={!f.required} error={shownError(f.key, fieldErrors[f.key])}>
                  {(describedBy) => (
                    <ProviderInput
                      id={id}
                      field={f}
                      value={values[f.key] ?? ''}
                      editing={editing}
                      revealed={revealed.has(f.key)}
                      invalid={shownError(f.key, fieldErrors[f.key]) !== null}
                      describedBy={describedBy}
                      onChange={(v) => setValue(f.key, v)}
                      onBlur={() => touch(f.key)}
                      onToggleReveal={() =>
                        setRevealed((r) => {
                          const next = new Set(r);
                          if (!next.delete(f.key)) next.add(f.key);
                          return next;
                        })
                      }
                    />
                  )}
                </Field>
              );
            })}

          {editing && <p className="muted small">Secrets are never shown again. Leave a secret empty to keep the stored one.</p>}

          {test && (
            <div className="test-result" role="status" data-testid="form-test-result">
              <StatusBadge status={test.status} verifying={false} />
              <span>
                {test.code && <code>{test.code}</code>} <InlineCode text={test.detail} />
              </span>
            </div>
          )}
          <div id={ids.formError}>
            <FormError error={serverError} />
          </div>
        </div>
        <footer className="dialog-footer">
          <Button className="footer-start" onClick={() => void testConnection()} disabled={testing || submitting} aria-busy={testing || undefined}>
            {testing ? 'Testing…' : 'Test connection'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={invalid || submitting} aria-busy={submitting || undefined}>
            {editing ? 'Save' : 'Create'}
          </Button>
        </footer>
      </form>
    </Dialog>
  );
}

interface TestOutcome {
  status: Credential['status'];
  detail: string;
  code: string | null;
}

/** Only what changed: the name if renamed, public fields that differ, secrets that were typed. */
function changesFor(c: Credential, name: string, values: Record<string, string>): Request<'credentials.update'> {
  const request: Request<'credentials.update'> = { id: c.id };
  if (name.trim() !== c.name) request.name = name.trim();
  const fields: Record<string, string> = {};
  for (const f of PROVIDERS[c.provider].fields) {
    if (f.derived) continue;
    const v = values[f.key] ?? '';
    if (f.secret ? v !== '' : v !== (c.fields[f.key] ?? '')) fields[f.key] = v;
  }
  if (Object.keys(fields).length > 0) request.fields = fields;
  return request;
}

function ProviderInput({
  id,
  field: f,
  value,
  editing,
  revealed,
  invalid,
  describedBy,
  onChange,
  onBlur,
  onToggleReveal,
}: {
  id: string;
  field: FieldDef;
  value: string;
  editing: boolean;
  revealed: boolean;
  invalid: boolean;
  describedBy: string | undefined;
  onChange: (value: string) => void;
  onBlur: () => void;
  onToggleReveal: () => void;
}) {
  if (f.kind === 'select') {
    return (
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} onBlur={onBlur} aria-invalid={invalid} aria-describedby={describedBy}>
        {value === '' && <option value="">Choose…</option>}
        {f.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  if (f.kind === 'textarea') {
    // A multi-line secret (a key file's JSON): masked like a password until revealed.
    return (
      <div className="secret-input">
        <textarea
          id={id}
          value={value}
          rows={6}
          className="mono"
          placeholder={editing && f.secret ? UNCHANGED_SECRET : f.placeholder}
          onChange={(e) => onChange(e.target.value)}
          onBlur={onBlur}
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          aria-invalid={invalid}
          aria-describedby={describedBy}
          style={f.secret && !revealed ? ({ WebkitTextSecurity: 'disc' } as React.CSSProperties) : undefined}
        />
        {f.secret && <RevealButton controls={id} revealed={revealed} onToggle={onToggleReveal} />}
      </div>
    );
  }
  const common = {
    id,
    value,
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => onChange(e.target.value),
    onBlur,
    autoComplete: 'off',
    spellCheck: false,
    autoCapitalize: 'off',
    autoCorrect: 'off',
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
  } as const;
  if (f.kind === 'secret') {
    return (
      <div className="secret-input">
        <input {...common} type={revealed ? 'text' : 'password'} className="mono" placeholder={editing ? UNCHANGED_SECRET : f.placeholder} autoComplete="new-password" />
        <RevealButton controls={id} revealed={revealed} onToggle={onToggleReveal} />
      </div>
    );
  }
  return <input {...common} type={f.kind === 'url' ? 'url' : 'text'} className={f.mono ? 'mono' : undefined} placeholder={f.placeholder} />;
}

/**
 * The AWS console offers a .csv when it creates a key ("Download .csv file"): it fills the
 * key id and secret here, read in this window only as typing them would be.
 */
function AccessKeyCsvPicker({ onKey, onError }: { onKey: (key: AccessKeyFromCsv) => void; onError: (message: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  async function read(file: File | undefined) {
    if (!file) return;
    try {
      onKey(parseAccessKeyCsv(await file.text()));
    } catch (e) {
      onError(`${file.name}: ${(e as Error).message}`);
    } finally {
      if (input.current) input.current.value = '';
    }
  }
  return (
    <div className="csv-picker">
      {/* Out of the Tab order: the button below opens it. */}
      <input ref={input} type="file" accept=".csv,text/csv" className="sr-only" tabIndex={-1} aria-label="Access key .csv file" onChange={(e) => void read(e.target.files?.[0])} />
      <Button size="sm" onClick={() => input.current?.click()}>
        Fill from the console’s .csv…
      </Button>
      <span className="muted small">the file AWS offers when it creates the key; delete it afterwards</span>
    </div>
  );
}

/** Shows or hides a secret field's value (the field stays masked until asked). */
function RevealButton({ controls, revealed, onToggle }: { controls: string; revealed: boolean; onToggle: () => void }) {
  return (
    <button type="button" className="icon-button reveal-button" aria-label="Show secret" aria-pressed={revealed} aria-controls={controls} title={revealed ? 'Hide' : 'Show'} onClick={onToggle}>
      {revealed ? <EyeOffIcon /> : <EyeIcon />}
    </button>
  );
}
