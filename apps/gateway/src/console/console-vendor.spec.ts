import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMap, VENDOR_FILES, VENDOR_PATH, vendorName, withImportMap } from './console-vendor';

const CONSOLE_ROOT = join(__dirname, '../../console');

/** The specifiers of a module's static and dynamic imports and re-exports (minified or not). */
function importsOf(source: string): string[] {
  const found = source.matchAll(
    /\b(?:import|export)(?![\w$])\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  );
  return [...found].map((m) => (m[1] ?? m[2]) as string);
}

describe('the console vendor table', () => {
  const map = importMap().imports;

  it('names existing files under safe URL names, one per specifier', () => {
    expect(VENDOR_FILES.size).toBe(Object.keys(map).length);
    for (const [name, file] of VENDOR_FILES) {
      expect(name).toMatch(/^[a-z0-9-]+\.js$/);
      expect([name, existsSync(file)]).toEqual([name, true]);
    }
    expect(vendorName('@codemirror/view')).toBe('codemirror-view.js');
    expect(map['@codemirror/view']).toBe(`${VENDOR_PATH}codemirror-view.js`);
    expect(map['preact/hooks']).toBe(`${VENDOR_PATH}preact-hooks.js`);
  });

  it('resolves every bare import of the console and of the vendored modules', () => {
    const own = readdirSync(CONSOLE_ROOT).filter((f) => f.endsWith('.js'));
    const sources = [...own.map((f) => join(CONSOLE_ROOT, f)), ...VENDOR_FILES.values()];
    const missing = sources.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .filter((specifier) =>
          specifier.startsWith('.') ? !existsSync(join(file, '..', specifier)) : !map[specifier],
        )
        .map((specifier) => `${file}: ${specifier}`),
    );
    expect(missing).toEqual([]);
    expect(importsOf(readFileSync(VENDOR_FILES.get('codemirror-view.js') as string, 'utf8'))).toContain(
      'crelt',
    );
  });

  it("sends a vendored module's relative imports to vendor files too (Chart.js's chunk)", () => {
    const chart = VENDOR_FILES.get(vendorName('chart.js')) as string;
    const relative = importsOf(readFileSync(chart, 'utf8')).filter((s) => s.startsWith('.'));
    expect(relative).toEqual(['./chunks/helpers.dataset.js']);
    for (const specifier of relative) {
      const url = new URL(specifier, `http://console${map['chart.js']}`).pathname;
      const target = map[url] as string;
      expect(target).toBeDefined();
      expect(existsSync(VENDOR_FILES.get(target.slice(VENDOR_PATH.length)) as string)).toBe(true);
    }
  });

  it('writes the import map inline into the page', () => {
    const page = withImportMap(readFileSync(join(CONSOLE_ROOT, 'index.html'), 'utf8'));
    const json = /<script type="importmap">([^<]*)<\/script>/.exec(page)?.[1] as string;
    expect(JSON.parse(json)).toEqual({ imports: map });
    expect(() => withImportMap('<html></html>')).toThrow(/no <script type="importmap">/);
  });
});
