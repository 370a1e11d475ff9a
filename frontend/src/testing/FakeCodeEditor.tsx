/*
 * Monaco does not run in jsdom, so unit tests swap @grafana/ui's CodeEditor for this textarea. It calls
 * onEditorDidMount with a small fake editor and monaco that record what the component registers (completion
 * providers, key commands, change listeners), so tests drive the same code paths Monaco would. The real
 * Monaco editor is checked in a browser by browser-check/.
 */
import React, { useEffect, useRef, useState } from 'react';

export const KEY_SHIFT = 1 << 10;
export const KEY_ENTER = 3;

export interface RegisteredProvider {
  language: string;
  provider: {
    triggerCharacters?: string[];
    provideCompletionItems: (
      model: FakeModel,
      position: { lineNumber: number; column: number }
    ) => Promise<{
      suggestions: Array<{ label: string; detail?: string; kind: number; insertText: string }>;
    }>;
  };
  disposed: boolean;
}

export const registeredProviders: RegisteredProvider[] = [];

export const fakeMonaco = {
  KeyMod: { Shift: KEY_SHIFT, CtrlCmd: 1 << 11 },
  KeyCode: { Enter: KEY_ENTER },
  languages: {
    CompletionItemKind: { Keyword: 17, Function: 1, Field: 3, Class: 5, Module: 8, Variable: 4, Snippet: 27 },
    CompletionItemInsertTextRule: { InsertAsSnippet: 4 },
    registerCompletionItemProvider: (language: string, provider: RegisteredProvider['provider']) => {
      const entry: RegisteredProvider = { language, provider, disposed: false };
      registeredProviders.push(entry);
      return {
        dispose: () => {
          entry.disposed = true;
        },
      };
    },
  },
};

export class FakeModel {
  constructor(
    public id: string,
    public text: string
  ) {}
  getValue() {
    return this.text;
  }
  /** only what the completion provider asks: from the start to a position */
  getValueInRange(range: { endLineNumber: number; endColumn: number }) {
    const lines = this.text.split('\n');
    const before = lines.slice(0, range.endLineNumber - 1);
    before.push((lines[range.endLineNumber - 1] ?? '').slice(0, range.endColumn - 1));
    return before.join('\n');
  }
}

let nextModel = 0;

interface Props {
  value?: string;
  onBlur?: (value: string) => void;
  onEditorDidMount?: (editor: unknown, monaco: unknown) => void;
}

export function FakeCodeEditor({ value = '', onBlur, onEditorDidMount }: Props) {
  const [text, setText] = useState(value);
  const textRef = useRef(value);
  const listeners = useRef<Array<() => void>>([]);
  const commands = useRef(new Map<number, () => void>());
  const [modelId] = useState(() => `model-${nextModel++}`);

  useEffect(() => {
    const editor = {
      getValue: () => textRef.current,
      getModel: () => ({ id: modelId }),
      onDidChangeModelContent: (listener: () => void) => {
        listeners.current.push(listener);
        return { dispose: () => {} };
      },
      addCommand: (keybinding: number, handler: () => void) => {
        commands.current.set(keybinding, handler);
        return null;
      },
      addAction: (action: { keybindings?: number[]; run: (editor: unknown) => void }) => {
        for (const keybinding of action.keybindings ?? []) {
          commands.current.set(keybinding, () => action.run(null));
        }
        return { dispose: () => {} };
      },
    };
    onEditorDidMount?.(editor, fakeMonaco);
    // mount once, as Monaco does
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (value !== textRef.current) {
      textRef.current = value;
      setText(value);
    }
  }, [value]);

  return (
    <textarea
      aria-label="CQL editor"
      data-model-id={modelId}
      value={text}
      onChange={(e) => {
        textRef.current = e.target.value;
        setText(e.target.value);
        listeners.current.forEach((l) => l());
      }}
      onBlur={() => onBlur?.(textRef.current)}
      onKeyDown={(e) => {
        const binding = (e.shiftKey ? KEY_SHIFT : 0) | (e.key === 'Enter' ? KEY_ENTER : 0);
        const command = commands.current.get(binding);
        if (command) {
          e.preventDefault();
          command();
        }
      }}
    />
  );
}
