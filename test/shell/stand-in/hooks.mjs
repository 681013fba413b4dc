// Module loader hooks (node --import ./register.mjs): `electron` resolves to the recording
// stand-in beside this file, for ES modules and require() alike. Nothing else changes.
const STAND_IN = new URL('./electron.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: STAND_IN, format: 'module', shortCircuit: true };
  return next(specifier, context);
}
