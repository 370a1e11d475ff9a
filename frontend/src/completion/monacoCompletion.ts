/*
 * Connects `suggest` to one Monaco editor. Completion providers are registered per language for the whole page,
 * so the provider answers only for its own editor's model: a dashboard with five CQL queries would otherwise show
 * every suggestion five times.
 */
import type { Monaco, monacoTypes } from '@grafana/ui';

import { SchemaSource, suggest, Suggestion, SuggestionKind } from './suggest';

export interface CompletionContext {
  schema: SchemaSource;
  /** names of the dashboard's template variables, read when the list opens */
  variables: () => string[];
}

function kindOf(monaco: Monaco, kind: SuggestionKind): monacoTypes.languages.CompletionItemKind {
  const k = monaco.languages.CompletionItemKind;
  switch (kind) {
    case 'column':
      return k.Field;
    case 'table':
      return k.Class;
    case 'keyspace':
      return k.Module;
    case 'macro':
      return k.Snippet;
    case 'variable':
      return k.Variable;
    case 'function':
      return k.Function;
    default:
      return k.Keyword;
  }
}

export function toCompletionItem(
  monaco: Monaco,
  item: Suggestion,
  range: monacoTypes.IRange
): monacoTypes.languages.CompletionItem {
  return {
    label: item.label,
    kind: kindOf(monaco, item.kind),
    insertText: item.insertText,
    insertTextRules: item.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
    detail: item.detail,
    documentation: item.documentation ? { value: item.documentation } : undefined,
    sortText: item.sortText + item.label.toLowerCase(),
    filterText: item.label,
    range,
    command: item.retrigger ? { id: 'editor.action.triggerSuggest', title: 'more' } : undefined,
  };
}

export function registerCqlCompletion(
  monaco: Monaco,
  editor: monacoTypes.editor.IStandaloneCodeEditor,
  context: CompletionContext
): monacoTypes.IDisposable {
  return monaco.languages.registerCompletionItemProvider('sql', {
    triggerCharacters: ['.', '$'],
    provideCompletionItems: async (model, position) => {
      if (model.id !== editor.getModel()?.id) {
        return { suggestions: [] };
      }
      const textBefore = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const { prefix, items } = await suggest(textBefore, model.getValue(), context.schema, context.variables());
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: Math.max(1, position.column - prefix.length),
        endColumn: position.column,
      };
      return { suggestions: items.map((item) => toCompletionItem(monaco, item, range)) };
    },
  });
}
