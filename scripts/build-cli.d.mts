import type { BuildResult, Plugin } from 'esbuild';

export const CLI_ENTRY: string;
export const CLI_OUT: string;
export function lazyPackagesPlugin(): Plugin;
export function buildCli(opts?: { outfile?: string; minify?: boolean }): Promise<BuildResult>;
