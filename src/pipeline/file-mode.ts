import { LineCounter, parseAllDocuments } from 'yaml';
import { sourceErrorOf } from '../yaml/source-error';
import type { InputFile } from '../io/files';
import { StreamResourceSet } from '../io/stream-set';
import { hasErrors } from '../krm/results';
import type { Result } from '../krm/results';
import { parseDocumentStream, renderDocumentStream } from '../yaml/document-stream';
import type { KrmFunction } from './functions';
import { runFunction } from './run';

export interface RenderedFile {
  input: InputFile;
  text: string;
  changed: boolean;
}

export interface FileModeOutcome {
  files: RenderedFile[];
  results: Result[];
  ok: boolean;
}

/** Runs a function over YAML files held in memory; nothing is written here. */
export function transformFiles(
  fn: KrmFunction,
  config: unknown,
  configPath: string | undefined,
  inputs: readonly InputFile[],
): FileModeOutcome {
  const streams = inputs.map((input) => parseDocumentStream(input.text, input.path));
  const set = new StreamResourceSet(streams);
  const results = runFunction(fn, set, config, { path: configPath });
  const files = streams.map((stream, i) => {
    const text = renderDocumentStream(stream);
    return { input: inputs[i], text, changed: text !== inputs[i].text };
  });
  return { files, results, ok: !hasErrors(results) };
}

/** The config document of a config file: the one of the function's kind, or a ConfigMap. */
export function parseConfigText(text: string, path: string, kind: string): unknown {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const values: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors[0]) throw sourceErrorOf(doc.errors[0], path);
    if (doc.contents !== null) values.push(doc.toJS({ maxAliasCount: 100 }));
  }
  const isKind = (v: unknown, k: string) => (v as { kind?: unknown } | null)?.kind === k;
  return (
    values.find((v) => isKind(v, kind)) ??
    values.find((v) => isKind(v, 'ConfigMap')) ??
    values[0] ??
    null
  );
}

/** Several files on one stream: each keeps its text, separated by `---`. */
export function joinStreams(texts: readonly string[]): string {
  let out = '';
  for (const text of texts) {
    if (!text.trim()) continue;
    if (out) {
      if (!out.endsWith('\n')) out += '\n';
      if (!/^---(\s|$)/.test(text)) out += '---\n';
    }
    out += text;
  }
  return out;
}
