import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { Delivery, DeliveryKindView, DeliveryOutcome } from '@shared/channels/deliveries';
import { api, errorMessage } from '../api';
import { useCredentials } from '../credentials/store';
import { Remedy } from '../credentials/Remedy';
import { Button } from '../ui/Button';
import { CredentialSelect, NamedOptions } from '../ui/CredentialSelect';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { FormFooter } from '../ui/FormFooter';
import { RegionOptions } from '../ui/RegionOptions';
import { RelativeTime } from '../ui/time';
import { showToast } from '../ui/toast';
import { FormError, useFormAction } from '../ui/useFormAction';
import { useReadOnly } from '../vault/store';
import { addDelivery, loadDeliveries, loadDeliveryKinds, removeDelivery, testDelivery, useDeliveries } from './store';

// In an AWS credential's details: the places its key is copied to (System Parameters, an
// AWS credentials profile, a .env file, SSM Parameter Store, Secrets Manager), each with
// where it is, its last write and last check; Add, Test, Remove. A rotation writes and
// checks each before the old key is deactivated. No secret is ever shown: key ids masked.

const NONE: Delivery[] = [];

export function DeliveriesCard({ credentialId }: { credentialId: string }) {
  const list = useDeliveries((s) => s.byCredential[credentialId]) ?? NONE;
  const loaded = useDeliveries((s) => s.byCredential[credentialId] !== undefined);
  const error = useDeliveries((s) => s.errors[credentialId]);
  const readOnly = useReadOnly();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<Delivery | null>(null);
  const titleId = useId();

  useEffect(() => {
    void loadDeliveries(credentialId);
    // A rotation writes every place and changes the credential: read the outcomes again.
    return api().on('credential.changed', (c) => {
      if (c.id === credentialId) void loadDeliveries(credentialId);
    });
  }, [credentialId]);

  return (
    <div className="details-section" data-testid="deliveries" role="region" aria-labelledby={titleId}>
      <div className="inventory-card-header">
        <h3 id={titleId}>Deliveries</h3>
        <Button size="sm" onClick={() => setAdding(true)} disabled={readOnly}>
          Add delivery
        </Button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {loaded && list.length === 0 && <p className="muted">The key is kept only here. Add the places it is copied to, so a rotation writes and checks each before the old key goes.</p>}
      <ul className="plain-list delivery-list">
        {list.map((d) => (
          <DeliveryItem key={d.id} d={d} readOnly={readOnly} onRemove={() => setRemoving(d)} />
        ))}
      </ul>
      {adding && <AddDeliveryDialog credentialId={credentialId} onClose={() => setAdding(false)} />}
      {removing && <RemoveDeliveryDialog d={removing} onClose={() => setRemoving(null)} />}
    </div>
  );
}

function Outcome({ label, o, never }: { label: string; o: DeliveryOutcome | null; never: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-ok={o ? String(o.ok) : undefined}>
        {o ? (
          <>
            <span className={o.ok ? 'health-ok' : 'health-bad'}>{o.ok ? 'OK' : `Failed${o.error ? ` (${o.error.code})` : ''}`}</span> <RelativeTime iso={o.at} />
            {o.accessKeyId && <span className="mono nowrap"> · {o.accessKeyId}</span>}
            <div className="muted">{o.detail}</div>
          </>
        ) : (
          <span className="muted">{never}</span>
        )}
      </dd>
    </>
  );
}

function DeliveryItem({ d, readOnly, onRemove }: { d: Delivery; readOnly: boolean; onRemove: () => void }) {
  const testing = useDeliveries((s) => !!s.testing[d.id]);
  const [problem, setProblem] = useState<string | null>(null);
  const failed = d.lastCheck && !d.lastCheck.ok ? d.lastCheck : d.lastWrite && !d.lastWrite.ok ? d.lastWrite : null;
  async function test() {
    setProblem(null);
    try {
      await testDelivery(d);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }
  return (
    <li data-delivery-id={d.id} data-kind={d.kind}>
      <div className="inventory-card-header">
        <strong>{d.title}</strong>
        <span className="count-row">
          <Button size="sm" onClick={() => void test()} disabled={testing} aria-label={`Test ${d.title}: ${d.description}`}>
            {testing ? 'Testing…' : 'Test'}
          </Button>
          {d.kind !== 'system-parameters' && (
            <Button size="sm" variant="ghost" onClick={onRemove} disabled={readOnly} aria-label={`Remove ${d.title}: ${d.description}`}>
              Remove
            </Button>
          )}
        </span>
      </div>
      <div className="mono delivery-place">{d.description}</div>
      <dl className="kv">
        <Outcome label="Last write" o={d.lastWrite} never="Not written yet: the next rotation writes it." />
        <Outcome label="Last check" o={d.lastCheck} never="Not checked yet." />
      </dl>
      {failed?.diagnosis && (
        <div className="form-error" role="status">
          {failed.diagnosis.cause}
          <Remedy steps={failed.diagnosis.remedy} />
        </div>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      {d.kind === 'system-parameters' && <p className="muted">Kept by Keyward while System Parameters are bound to this key: unbind them on the System Parameters page to stop.</p>}
    </li>
  );
}

function AddDeliveryDialog({ credentialId, onClose }: { credentialId: string; onClose: () => void }) {
  const kinds = useDeliveries((s) => s.kinds);
  const addable = useMemo(() => (kinds ?? []).filter((k) => k.addable), [kinds]);
  const [kindId, setKindId] = useState('');
  const kind: DeliveryKindView | undefined = addable.find((k) => k.id === kindId) ?? addable[0];
  const [values, setValues] = useState<Record<string, string>>({});
  const [writer, setWriter] = useState('');
  const [write, setWrite] = useState(true);
  const { busy, error, setError, submit } = useFormAction();
  const byId = useCredentials((s) => s.byId);
  const writers = useMemo(() => [...byId.values()].filter((c) => c.provider === 'AWS' && c.id !== credentialId), [byId, credentialId]);
  const id = useId();
  const firstRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    loadDeliveryKinds().catch((e: unknown) => setError(errorMessage(e)));
  }, [setError]);

  const missing = kind?.fields.filter((f) => f.required && !values[f.key]?.trim()) ?? [];

  return (
    <Dialog title="Add delivery" onClose={onClose} size="sm" initialFocus={firstRef}>
      <form
        className="form"
        onSubmit={submit(async () => {
          if (!kind) return;
          const config = Object.fromEntries(kind.fields.filter((f) => values[f.key]?.trim()).map((f) => [f.key, values[f.key]!.trim()]));
          const added = await addDelivery({ credentialId, kind: kind.id, config, as: kind.awsPlace && writer ? writer : undefined, write });
          const wrote = added.lastWrite;
          showToast(
            wrote && !wrote.ok ? 'error' : 'success',
            wrote
              ? wrote.ok
                ? `Added ${added.title}: the current key is written there.`
                : `Added ${added.title}, but writing the key failed: ${wrote.detail}`
              : `Added ${added.title}. The next rotation writes it.`,
          );
          onClose();
        })}
      >
        <div className="dialog-body">
          <Field id={`${id}-kind`} label="Where the key goes">
            {(d) => (
              <select
                id={`${id}-kind`}
                ref={firstRef}
                value={kind?.id ?? ''}
                onChange={(e) => {
                  setKindId(e.target.value);
                  setValues({});
                  setError(null);
                }}
                aria-describedby={d}
              >
                <NamedOptions items={addable.map((k) => ({ id: k.id, name: k.title }))} />
              </select>
            )}
          </Field>
          {kind?.fields.map((f) => (
            <Field key={`${kind.id}:${f.key}`} id={`${id}-${f.key}`} label={f.label} optional={!f.required} help={f.help ?? (f.defaultValue ? `Default: ${f.defaultValue}` : undefined)}>
              {(d) =>
                f.region ? (
                  <select id={`${id}-${f.key}`} value={values[f.key] ?? ''} onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))} aria-describedby={d}>
                    <option value="">The writing credential’s region</option>
                    <RegionOptions />
                  </select>
                ) : (
                  <input
                    id={`${id}-${f.key}`}
                    value={values[f.key] ?? ''}
                    placeholder={f.defaultValue ?? undefined}
                    spellCheck={false}
                    autoComplete="off"
                    onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                    aria-describedby={d}
                  />
                )
              }
            </Field>
          ))}
          {kind?.awsPlace && (
            <Field id={`${id}-writer`} label="Write it with" optional help="An AWS credential allowed to write the place (IAM Policy lists the actions); this credential itself when empty.">
              {(d) => <CredentialSelect id={`${id}-writer`} ariaDescribedBy={d} credentials={writers} value={writer} onChange={setWriter} emptyLabel="This credential" />}
            </Field>
          )}
          <label className="check-row">
            <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} />
            Write the current key there now
          </label>
          <FormError error={error} />
        </div>
        <FormFooter onCancel={onClose} busy={busy} disabled={!kind || missing.length > 0} label="Add delivery" busyLabel={write ? 'Writing…' : 'Adding…'} />
      </form>
    </Dialog>
  );
}

function RemoveDeliveryDialog({ d, onClose }: { d: Delivery; onClose: () => void }) {
  const { busy, error, submit } = useFormAction();
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog title="Remove delivery" onClose={onClose} size="sm" initialFocus={cancelRef}>
      <form
        className="form"
        onSubmit={submit(async () => {
          await removeDelivery(d);
          showToast('success', `Removed ${d.title}: ${d.description}.`);
          onClose();
        })}
      >
        <div className="dialog-body">
          <p>
            Keyward stops writing this credential’s key to <strong>{d.title}</strong>: <span className="mono">{d.description}</span>. What the place holds now stays there: a later rotation will not
            update it.
          </p>
          <FormError error={error} />
        </div>
        <FormFooter onCancel={onClose} busy={busy} label="Remove" busyLabel="Removing…" danger cancelRef={cancelRef} />
      </form>
    </Dialog>
  );
}
