// The SQL editor: CodeMirror 6 with PostgreSQL highlighting, line numbers, history, wrapping, and
// completion of the warehouse's tables and columns once its catalog is loaded.
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, drawSelection, keymap, lineNumbers } from '@codemirror/view';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { PostgreSQL, sql } from '@codemirror/lang-sql';

const language = new Compartment();

/** Mounts an editor in `parent` holding `doc`; `onChange` gets the whole text after each edit. */
export function createSqlEditor(parent, doc, onChange) {
  return new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        bracketMatching(),
        autocompletion(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        EditorView.lineWrapping,
        keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap]),
        language.of(sql({ dialect: PostgreSQL })),
        // The contenteditable element: what tests fill and screen readers name.
        EditorView.contentAttributes.of({
          'data-test': 'sql-text',
          'aria-label': 'SQL',
          spellcheck: 'false',
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
}

/** Replaces the editor's text (a no-op when it is already `text`). */
export function setSqlText(view, text) {
  if (view.state.doc.toString() !== text)
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}

/** Completes the tables and columns of a `GET /v1/catalog` answer. */
export function setSqlCatalog(view, catalog) {
  const schema = Object.fromEntries(
    catalog.tables.map((table) => [
      table.name,
      table.columns.map((c) => ({
        label: c.name,
        type: 'property',
        detail: c.type,
        info: c.comment ?? undefined,
      })),
    ]),
  );
  view.dispatch({ effects: language.reconfigure(sql({ dialect: PostgreSQL, schema })) });
}
