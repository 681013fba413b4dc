import { useState } from 'react';
import { AWS_FIELDS, PARAMETER_TYPES, validateParameterKey, type AwsField, type ParameterType } from '@shared/parameters';
import { Button } from '../ui/Button';
import { change } from './store';

/** Defines a new parameter: key, label, group, type (choices), and the AWS role Perform test reads it as. */
export function AddParameter({ groups }: { groups: string[] }) {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState({ key: '', label: '', group: groups[0] ?? 'General', type: 'text' as ParameterType, choices: '', awsField: '' });
  const [error, setError] = useState<string | null>(null);
  const keyError = draft.key ? validateParameterKey(draft.key) : null;

  async function add() {
    const err = await change('parameters.define', {
      key: draft.key,
      label: draft.label || undefined,
      group: draft.group,
      type: draft.type,
      choices: draft.type === 'choice' ? draft.choices.split(',').map((c) => c.trim()).filter(Boolean) : null,
      awsField: (draft.awsField || null) as AwsField | null,
    });
    setError(err);
    if (!err) setOpen(false);
  }

  if (!open) {
    return (
      <Button
        onClick={() => {
          setDraft({ key: '', label: '', group: groups[0] ?? 'General', type: 'text', choices: '', awsField: '' });
          setOpen(true);
        }}
      >
        Add parameter
      </Button>
    );
  }
  return (
    <form
      className="field-row"
      aria-label="Add parameter"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <input aria-label="Key" placeholder="KEY" value={draft.key} onChange={(e) => setDraft({ ...draft, key: e.target.value })} data-autofocus />
      <input aria-label="Label" placeholder="Label" value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.target.value })} />
      <input aria-label="Group" placeholder="Group" value={draft.group} onChange={(e) => setDraft({ ...draft, group: e.target.value })} />
      <select aria-label="Type" value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value as ParameterType })}>
        {PARAMETER_TYPES.map((t) => <option key={t}>{t}</option>)}
      </select>
      {draft.type === 'choice' && <input aria-label="Choices" placeholder="a, b, c" value={draft.choices} onChange={(e) => setDraft({ ...draft, choices: e.target.value })} />}
      <select aria-label="AWS role" value={draft.awsField} onChange={(e) => setDraft({ ...draft, awsField: e.target.value })}>
        <option value="">no AWS role</option>
        {AWS_FIELDS.map((f) => <option key={f}>{f}</option>)}
      </select>
      <Button type="submit" variant="primary" disabled={!draft.key || !!keyError || !draft.group}>Add</Button>
      <Button onClick={() => setOpen(false)}>Cancel</Button>
      {(keyError ?? error) && <div role="alert" className="field-error">{keyError ?? error}</div>}
    </form>
  );
}
