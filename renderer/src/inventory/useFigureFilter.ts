import { useEffect, useState } from 'react';
import { CREDENTIAL_STATUSES, type CredentialStatus } from '@shared/contract';
import { api, errorMessage } from '../api';
import { setStatusFilter } from '../credentials/store';
import { useRoute } from '../shell/route';
import { showToast } from '../ui/toast';
import { FIGURE_LABELS, isFigure } from './figures';

/**
 * The credentials table's link target from the Inventory page: `#/credentials?figure=pastMaxAge`
 * limits the table to the credentials that figure counts (asked of main, which holds the
 * key ages and the credential report).
 */
export function useFigureFilter(): { ids: Set<string> | null; label: string | null } {
  const { params } = useRoute();
  const figure = params.get('figure');
  const status = params.get('status');
  // `?status=INVALID` sets the table's status filter, which the toolbar then shows and clears.
  useEffect(() => {
    if (status && (CREDENTIAL_STATUSES as readonly string[]).includes(status)) setStatusFilter(status as CredentialStatus);
  }, [status]);
  const [state, setState] = useState<{ figure: string; ids: Set<string> } | null>(null);
  useEffect(() => {
    if (!isFigure(figure)) return;
    let live = true;
    api()
      .invoke('inventory.figure', { figure })
      .then((r) => live && setState({ figure, ids: new Set(r.ids) }))
      .catch((e: unknown) => showToast('error', errorMessage(e)));
    return () => {
      live = false;
    };
  }, [figure]);
  if (!isFigure(figure)) return { ids: null, label: null };
  return { ids: state?.figure === figure ? state.ids : new Set(), label: FIGURE_LABELS[figure] };
}
