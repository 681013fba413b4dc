import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ParameterView } from '@shared/channels/parameters';
import { api, errorMessage } from '../api';
import { connectCredentials, useCredentials } from '../credentials/store';
import { Button } from '../ui/Button';
import { showToast } from '../ui/toast';
import { AddParameter } from './AddParameter';
import { Field } from '../ui/Field';
import { FormError, useFormAction } from '../ui/useFormAction';
import { ParameterRow } from './ParameterRow';
import { change, loadParameters, performTest, useParameters } from './store';

/** System Parameters: an application's integration settings, grouped, typed, some bound to credentials. */
export function ParametersPage() {
  const { list, loaded, search, tests } = useParameters();
  const byId = useCredentials((s) => s.byId);
  const credentials = useMemo(() => [...byId.values()], [byId]);
  const fileRef = useRef<HTMLInputElement>(null);
  const [templateGroup, setTemplateGroup] = useState('AWS S3');
  const { busy: templating, error: templateError, run: runTemplate } = useFormAction();
  const templateId = useId();

  useEffect(() => {
    connectCredentials(); // the bind menu lists credentials
    void loadParameters();
    // A bound value follows its credential (edits, rotations): reload when one changes.
    return api().on('credential.changed', () => void loadParameters());
  }, []);

  const groups = useMemo(() => {
    const q = search.toLowerCase();
    const shown = list.filter((p) => !q || [p.key, p.label, p.group, p.value ?? '', p.boundTo?.credentialName ?? ''].some((s) => s.toLowerCase().includes(q)));
    const by = new Map<string, ParameterView[]>();
    for (const p of shown) by.set(p.group, [...(by.get(p.group) ?? []), p]);
    return [...by.entries()];
  }, [list, search]);

  async function exportGroup(group: string, format: 'json' | 'env') {
    try {
      const { filename, content } = await api().invoke('parameters.export', { group, format });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob([content], { type: format === 'json' ? 'application/json' : 'text/plain' }));
      a.download = filename;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }

  async function importFile(file: File) {
    const err = await change('parameters.import', { content: await file.text() });
    showToast(err ? 'error' : 'info', err ?? `Imported ${file.name}.`);
  }

  return (
    <div className="page" data-testid="parameters-page">
      <header className="page-header">
        <h1 className="page-title">System Parameters</h1>
        <div className="page-actions">
          <input
            className="search-input"
            type="search"
            aria-label="Search parameters"
            placeholder="Search key, label, group, value"
            value={search}
            onChange={(e) => useParameters.setState({ search: e.target.value })}
          />
          <AddParameter groups={[...new Set(list.map((p) => p.group))]} />
          <Button onClick={() => fileRef.current?.click()}>Import…</Button>
          <input ref={fileRef} type="file" accept=".json,application/json" hidden aria-label="Import parameters file" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
        </div>
      </header>
      {loaded && list.length === 0 && (
        <div className="empty-state">
          <h2>No parameters yet</h2>
          <p className="muted">Start from the AWS S3 set an application like Synergist keeps: IAM Access Key, Secret IAM Key, bucket and region.</p>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void runTemplate(async () => {
                const err = await change('parameters.template', { group: templateGroup, prefix: '' });
                if (err) throw new Error(err);
              });
            }}
          >
            <Field id={templateId} label="Group name">
              {(d) => <input id={templateId} value={templateGroup} onChange={(e) => setTemplateGroup(e.target.value)} aria-describedby={d} />}
            </Field>
            <Button type="submit" variant="primary" disabled={templating || !templateGroup.trim()}>
              Add AWS S3 parameters
            </Button>
          </form>
          <FormError error={templateError} />
        </div>
      )}
      {groups.map(([group, params]) => {
        const t = tests[group];
        return (
          <section key={group} className="details-section" data-group={group}>
            <div className="toolbar">
              <h2>{group}</h2>
              <Button size="sm" onClick={() => void performTest(group)} disabled={t === 'running'}>
                Perform test
              </Button>
              <Button size="sm" variant="ghost" onClick={() => void exportGroup(group, 'json')}>
                Export JSON
              </Button>
              <Button size="sm" variant="ghost" onClick={() => void exportGroup(group, 'env')}>
                Export .env
              </Button>
              {t && t !== 'running' && 'status' in t && (
                <span data-testid="group-test" data-status={t.status} className={`badge badge-${t.status.toLowerCase()}`}>
                  {t.status}
                  {t.identity ? ` — ${t.identity.arn}` : ''}
                </span>
              )}
            </div>
            {t && t !== 'running' && 'problem' in t && (
              <p className="form-error" role="alert" data-testid="group-test-problem">
                {t.problem}
              </p>
            )}
            {t && t !== 'running' && 'status' in t && t.diagnosis && (
              <div className="form-error" role="alert">
                <strong>{t.error?.code}</strong>: {t.diagnosis.cause}
                <ol className="remedy">
                  {t.diagnosis.remedy.map((r) => (
                    <li key={r}>{r}</li>
                  ))}
                </ol>
                <code className="command">{t.diagnosis.test}</code>
              </div>
            )}
            <table className="param-table">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Label</th>
                  <th>Type</th>
                  <th>Value</th>
                  <th>Bound to</th>
                  <th>Last changed</th>
                  <th>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {params.map((p) => (
                  <ParameterRow key={p.key} p={p} credentials={credentials} />
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}
