import { create } from 'zustand';
import type { ParameterView } from '@shared/channels/parameters';
import type { Request, Response } from '@shared/contract';
import { api, errorMessage } from '../api';
import { showToast } from '../ui/toast';

export type GroupTest = Response<'parameters.test'>;
/** A test that could not run (nothing to test with, no such group): said where the result would be. */
export type GroupTestProblem = { problem: string };

interface ParametersState {
  list: ParameterView[];
  loaded: boolean;
  search: string;
  tests: Record<string, GroupTest | GroupTestProblem | 'running' | undefined>;
}

export const useParameters = create<ParametersState>(() => ({ list: [], loaded: false, search: '', tests: {} }));

export async function loadParameters(): Promise<void> {
  try {
    useParameters.setState({ list: await api().invoke('parameters.list', {}), loaded: true });
  } catch (e) {
    showToast('error', errorMessage(e));
  }
}

/** Runs a parameters call, then reloads the table; returns the error message, if any. */
export async function change<C extends 'parameters.set' | 'parameters.bind' | 'parameters.unbind' | 'parameters.define' | 'parameters.template' | 'parameters.import' | 'parameters.delete'>(
  channel: C,
  request: Request<C>,
): Promise<string | null> {
  try {
    await api().invoke(channel, request);
    await loadParameters();
    return null;
  } catch (e) {
    return errorMessage(e);
  }
}

export async function performTest(group: string): Promise<void> {
  useParameters.setState((s) => ({ tests: { ...s.tests, [group]: 'running' } }));
  try {
    const result = await api().invoke('parameters.test', { group });
    useParameters.setState((s) => ({ tests: { ...s.tests, [group]: result } }));
  } catch (e) {
    useParameters.setState((s) => ({ tests: { ...s.tests, [group]: { problem: errorMessage(e) } } }));
  }
}
