import { jsonText, type CliContext } from '../context';
import { escapeForTerminal } from '../format';
import { EXIT } from '../io';

/** Prints the generated IAM policy document itself (several when it must be split). */
export async function policyCommand(ctx: CliContext, cred: string | undefined, f: { 'with-rotation'?: boolean }): Promise<number> {
  await ctx.openCore();
  const p = await ctx.call('policy.generate', { credentialId: cred, withRotation: !!f['with-rotation'] });
  const out = p.parts.length === 1 ? p.document : p.parts;
  // The document is the output, in both modes, so it can be piped to a file or to aws iam.
  ctx.io.stdout(`${jsonText(out)}\n`);
  if (!ctx.flags.json) for (const note of p.notes) ctx.io.stderr(escapeForTerminal(`note: ${note}\n`));
  return EXIT.OK;
}
