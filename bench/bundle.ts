import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { figure, type Figure } from './report';

// The window's bundle as it ships (a fresh production build, minified): the script the lock
// screen needs (index.html's entry and every chunk it imports statically), the chart
// library's chunk (loaded right after unlock), and all of the renderer's JavaScript.

const ROOT = resolve(import.meta.dirname, '..');
const ASSETS = join(ROOT, 'out/renderer/assets');
const kB = (bytes: number) => bytes / 1000;

/** The entry and its static imports, transitively: what runs before the lock screen paints. */
export function lockScreenScripts(): string[] {
  const html = readFileSync(join(ROOT, 'out/renderer/index.html'), 'utf8');
  const entry = /<script[^>]+src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('out/renderer/index.html names no entry script');
  const seen = new Set<string>();
  const walk = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(join(ASSETS, file), 'utf8').matchAll(/import\s*(?:[\w$*{},\s]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) walk(m[1]);
  };
  walk(entry);
  return [...seen];
}

export async function benchBundle(): Promise<Figure[]> {
  execFileSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const size = (f: string) => statSync(join(ASSETS, f)).size;
  const all = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
  const lock = lockScreenScripts();
  const chart = all.filter((f) => f.startsWith('AgeChart-'));
  if (chart.length !== 1) throw new Error(`expected one AgeChart chunk, found ${chart.length}`);
  const sum = (fs: string[]) => fs.reduce((n, f) => n + size(f), 0);
  return [
    figure(`renderer: the lock screen's script, minified (${lock.length} files)`, kB(sum(lock)), 400, 'kB'),
    figure('renderer: the chart library chunk, loaded right after unlock', kB(sum(chart)), 400, 'kB'),
    figure(`renderer: all JavaScript, minified (${all.length} files; was one 1,953 kB file)`, kB(sum(all)), 1953, 'kB'),
  ];
}
