import React, { useEffect, useRef } from 'react';
import { CodeEditor, Monaco, monacoTypes } from '@grafana/ui';

import { CompletionContext, registerCqlCompletion } from '../completion/monacoCompletion';

interface Props {
  value: string;
  /** every edit */
  onChange: (cql: string) => void;
  /** leaving the editor */
  onBlur?: (cql: string) => void;
  /** Shift+Enter: run the query with the current text */
  onRunQuery?: (cql: string) => void;
  completion: CompletionContext;
  height?: number;
}

/**
 * Monaco with SQL colouring, CQL completion (keywords, macros, keyspaces, tables, columns) and Shift+Enter to run.
 * Handlers are read through refs: Monaco keeps the callbacks it was given at mount time.
 */
export function CqlCodeEditor({ value, onChange, onBlur, onRunQuery, completion, height = 160 }: Props) {
  const latest = useRef({ onChange, onRunQuery, completion });
  useEffect(() => {
    latest.current = { onChange, onRunQuery, completion };
  });
  const registration = useRef<monacoTypes.IDisposable | undefined>(undefined);

  useEffect(() => () => registration.current?.dispose(), []);

  const onEditorDidMount = (editor: monacoTypes.editor.IStandaloneCodeEditor, monaco: Monaco) => {
    registration.current?.dispose();
    registration.current = registerCqlCompletion(monaco, editor, {
      schema: {
        get defaultKeyspace() {
          return latest.current.completion.schema.defaultKeyspace;
        },
        getKeyspaces: () => latest.current.completion.schema.getKeyspaces(),
        getTables: (ks) => latest.current.completion.schema.getTables(ks),
        getColumns: (ks, t) => latest.current.completion.schema.getColumns(ks, t),
      },
      variables: () => latest.current.completion.variables(),
    });
    // listen on the editor itself: every edit reaches the query, whichever CodeEditor version Grafana ships
    editor.onDidChangeModelContent(() => latest.current.onChange(editor.getValue()));
    // an action, not addCommand: Monaco keeps addCommand's key bindings for all editors of the page, so with two
    // code editors (two queries, or a query and a variable) Shift+Enter ran only the last one mounted
    editor.addAction({
      id: 'cql-run-query',
      label: 'Run query',
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => {
        const text = editor.getValue();
        latest.current.onChange(text);
        latest.current.onRunQuery?.(text);
      },
    });
  };

  return (
    <CodeEditor
      value={value}
      language="sql"
      height={height}
      showLineNumbers
      showMiniMap={false}
      onBlur={onBlur}
      onEditorDidMount={onEditorDidMount}
      wordWrap
      monacoOptions={{ scrollBeyondLastLine: false }}
    />
  );
}
