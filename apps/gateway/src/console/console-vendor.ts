import { join } from 'node:path';

/** Where the vendored modules are served. */
export const VENDOR_PATH = '/console/vendor/';

const NODE_MODULES = join(__dirname, '../../../../node_modules');

/**
 * The one source of truth for the console's third-party modules: every bare specifier the console or
 * a vendored module imports, to its ES module file under node_modules. The gateway serves exactly these
 * files and writes the page's import map from this table.
 */
const MODULES: Readonly<Record<string, string>> = {
  preact: 'preact/dist/preact.module.js',
  'preact/hooks': 'preact/hooks/dist/hooks.module.js',
  htm: 'htm/dist/htm.module.js',
  '@codemirror/state': '@codemirror/state/dist/index.js',
  '@codemirror/view': '@codemirror/view/dist/index.js',
  '@codemirror/language': '@codemirror/language/dist/index.js',
  '@codemirror/commands': '@codemirror/commands/dist/index.js',
  '@codemirror/autocomplete': '@codemirror/autocomplete/dist/index.js',
  '@codemirror/lang-sql': '@codemirror/lang-sql/dist/index.js',
  '@codemirror/streamparser': '@codemirror/streamparser/dist/index.js',
  '@lezer/common': '@lezer/common/dist/index.js',
  '@lezer/highlight': '@lezer/highlight/dist/index.js',
  '@lezer/lr': '@lezer/lr/dist/index.js',
  '@marijn/find-cluster-break': '@marijn/find-cluster-break/src/index.js',
  'style-mod': 'style-mod/src/style-mod.js',
  'w3c-keyname': 'w3c-keyname/index.js',
  crelt: 'crelt/index.js',
  // The portrait's chart. Chart.js imports a chunk of its own by a relative path: the import map sends
  // that URL to the chunk's vendor file too.
  'chart.js': 'chart.js/dist/chart.js',
  '@kurkle/color': '@kurkle/color/dist/color.esm.js',
  [`${VENDOR_PATH}chunks/helpers.dataset.js`]: 'chart.js/dist/chunks/helpers.dataset.js',
};

/** The URL file name of a specifier: `@codemirror/view` is `codemirror-view.js` (letters, digits, dashes). */
export function vendorName(specifier: string): string {
  return `${specifier.replace(/^@/, '').replace(/[^a-z0-9]+/gi, '-')}.js`;
}

/** Vendor URL file name to its absolute path: the whitelist of node_modules files served. */
export const VENDOR_FILES: ReadonlyMap<string, string> = new Map(
  Object.entries(MODULES).map(([specifier, file]) => [vendorName(specifier), join(NODE_MODULES, file)]),
);

/** The import map: every specifier to its vendor URL. */
export function importMap(): { imports: Record<string, string> } {
  return {
    imports: Object.fromEntries(
      Object.keys(MODULES).map((specifier) => [specifier, `${VENDOR_PATH}${vendorName(specifier)}`]),
    ),
  };
}

const IMPORT_MAP_SLOT = '<script type="importmap"></script>';

/** The page with its empty import map script filled in (inline: browsers do not load `src` import maps). */
export function withImportMap(html: string): string {
  if (!html.includes(IMPORT_MAP_SLOT)) throw new Error(`index.html has no ${IMPORT_MAP_SLOT}`);
  const json = JSON.stringify(importMap(), null, 2).replace(/</g, '\\u003c');
  return html.replace(IMPORT_MAP_SLOT, () => `<script type="importmap">\n${json}\n</script>`);
}
