import { benchRenderer } from './renderer';
import { benchVault } from './vault';
import { benchInventory } from './inventory';
import { benchRotation } from './rotation';
import { benchVerify } from './verify';
import { print, type Figure } from './report';

// `npm run bench`: prints each figure with its target. Targets live here, never in tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const only = process.argv[2];
const suites: Record<string, () => Promise<Figure[]>> = {
  vault: benchVault,
  verify: benchVerify,
  rotation: benchRotation,
  renderer: benchRenderer,
  inventory: benchInventory,
};
const all: Figure[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (only && only !== name) continue;
  console.log(`== ${name}`);
  const figures = await run();
  print(figures);
  all.push(...figures);
}
const missed = all.filter((f) => !f.ok).length;
console.log(`${all.length - missed} of ${all.length} figures within target`);
