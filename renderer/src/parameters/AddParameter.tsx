import { useId, useState } from 'react';
import { AWS_FIELDS, PARAMETER_TYPES, validateParameterKey, type AwsField, type ParameterType } from '@shared/parameters';
import { Button } from '../ui/Button';
import { Dialog } from '../ui/Dialog';
import { Field } from '../ui/Field';
import { FormFooter } from '../ui/FormFooter';
import { FormError, useFormAction } from '../ui/useFormAction';
import { change } from './store';

/** What Perform test reads a parameter as, in the admin's words. */
export const AWS_FIELD_LABELS: Record<AwsField, string> = {
  accessKeyId: 'AWS access key ID',
  secretAccessKey: 'AWS secret access key',
  region: 'AWS region',
  endpointUrl: 'AWS endpoint URL',
};

/** Defines a new parameter: key, label, group, type (choices), and what Perform test reads it as. */
export function AddParameter({ groups }: { groups: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button onClick={() => setOpen(true)}>Add parameter</Button>
      {open && <AddParameterDialog groups={groups} onClose={() => setOpen(false)} />}
    </>
  );
}

function AddParameterDialog({ groups, onClose }: { groups: string[]; onClose: () => void }) {
  const [draft, setDraft] = useState({ key: '', label: '', group: groups[0] ?? 'General', type: 'text' as ParameterType, choices: '', awsField: '' });
  const { busy, error, run } = useFormAction();
  const id = useId();
  const keyError = draft.key ? validateParameterKey(draft.key) : null;
  const set = (change: Partial<typeof draft>) => setDraft((d) => ({ ...d, ...change }));

  return (
    <Dialog title="Add parameter" onClose={onClose} size="sm">
      <form
        className="form"
        aria-label="Add parameter"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const err = await change('parameters.define', {
              key: draft.key,
              label: draft.label || undefined,
              group: draft.group,
              type: draft.type,
              choices:
                draft.type === 'choice'
                  ? draft.choices
                      .split(',')
                      .map((c) => c.trim())
                      .filter(Boolean)
                  : null,
              awsField: (draft.awsField || null) as AwsField | null,
            });
            if (err) throw new Error(err);
            onClose();
          });
        }}
      >
        <div className="dialog-body">
          <Field id={`${id}-key`} label="Key" error={keyError} help="Upper-case letters, digits and _, as the application reads it: S3_BUCKET.">
            {(d) => <input id={`${id}-key`} value={draft.key} onChange={(e) => set({ key: e.target.value })} aria-describedby={d} aria-invalid={keyError !== null} data-autofocus />}
          </Field>
          <Field id={`${id}-label`} label="Label" optional>
            {(d) => <input id={`${id}-label`} value={draft.label} onChange={(e) => set({ label: e.target.value })} aria-describedby={d} />}
          </Field>
          <Field id={`${id}-group`} label="Group">
            {(d) => <input id={`${id}-group`} value={draft.group} onChange={(e) => set({ group: e.target.value })} aria-describedby={d} />}
          </Field>
          <Field id={`${id}-type`} label="Type">
            {(d) => (
              <select id={`${id}-type`} value={draft.type} onChange={(e) => set({ type: e.target.value as ParameterType })} aria-describedby={d}>
                {PARAMETER_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            )}
          </Field>
          {draft.type === 'choice' && (
            <Field id={`${id}-choices`} label="Choices" help="Separated by commas: a, b, c.">
              {(d) => <input id={`${id}-choices`} value={draft.choices} onChange={(e) => set({ choices: e.target.value })} aria-describedby={d} />}
            </Field>
          )}
          <Field id={`${id}-aws`} label="Perform test reads it as" optional help="Perform test checks the AWS key a group holds: mark which parameter is the access key ID, the secret and the region.">
            {(d) => (
              <select id={`${id}-aws`} value={draft.awsField} onChange={(e) => set({ awsField: e.target.value })} aria-describedby={d}>
                <option value="">Nothing (not part of the AWS key)</option>
                {AWS_FIELDS.map((f) => (
                  <option key={f} value={f}>
                    {AWS_FIELD_LABELS[f]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <FormError error={error} />
        </div>
        <FormFooter onCancel={onClose} busy={busy} disabled={!draft.key || keyError !== null || !draft.group} label="Add" busyLabel="Adding…" />
      </form>
    </Dialog>
  );
}
