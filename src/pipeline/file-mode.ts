import { LineCounter } from 'yaml';
import { parseAllUnique } from '../yaml/unique-keys';
import { sourceErrorOf } from '../yaml/source-error';
import { expandAliases } from '../yaml/anchors';
import type { InputFile } from '../io/files';
import { StreamResourceSet } from '../io/stream-set';
import { hasErrors } from '../krm/results';
import type { Result } from '../krm/results';
import { parseDocumentStream, renderDocumentStream } from '../yaml/document-stream';
import type { DocumentStream } from '../yaml/document-stream';
import { isPassThrough } from '../yaml/pass-through';
import type { ChangeSummary } from './change-summary';
import type { KrmFunction } from './functions';
import { runFunction } from './run';
import { classifyStream, attachFolderEvidence } from './artifact-files';
import type { FolderArtifacts } from './artifact-files';

export interface RenderedFile {
  input: InputFile;
  text: string;
  changed: boolean;
}

export type { ChangeSummary };

export interface FileModeOutcome {
  /** The files to write or print: migration artifacts are not among them. */
  files: RenderedFile[];
  results: Result[];
  ok: boolean;
  summary: ChangeSummary;
}

export interface FileModeOptions {
  /** Keep documents that are neither Kubernetes objects nor migration artifacts (else an error). */
  keepUnknown?: boolean;
  /** Artifacts found beside the inputs (their folders' Dockerfiles), for the runtime decision. */
  folders?: readonly FolderArtifacts[];
  /** Every document through the yaml parser (parseDocumentStream's fullParse): for comparisons. */
  fullParse?: boolean;
}

/**
 * Runs a function over YAML files held in memory; nothing is written here. A file that
 * holds only migration artifacts (the plan, the Migration object, services-config.yaml,
 * skaffold.yaml, ...) is left out of the output with an info naming it, and its plan is
 * evidence for the runtime of the workloads in the same folder; a document that is neither
 * a Kubernetes object nor an artifact is an error unless `keepUnknown`.
 */
export function transformFiles(
  fn: KrmFunction,
  config: unknown,
  configPath: string | undefined,
  inputs: readonly InputFile[],
  options: FileModeOptions = {},
): FileModeOutcome {
  const passThrough = options.fullParse ? undefined : fn.passThrough?.(config);
  const parsed = inputs.map((input) =>
    parseDocumentStream(input.text, sourceName(input), passThrough, options.fullParse),
  );
  const results: Result[] = [];
  const kept: number[] = [];
  const plans: { path: string; value: unknown }[] = [];
  parsed.forEach((stream, i) => {
    const c = classifyStream(stream, options.keepUnknown ?? false);
    for (const r of c.results) results.push(r);
    if (c.artifact) plans.push(...c.plans.map((value) => ({ path: stream.path, value })));
    else kept.push(i);
  });
  if (hasErrors(results)) {
    return { files: [], results, ok: false, summary: { changed: 0, created: 0, unchanged: 0 } };
  }
  const streams = kept.map((i) => parsed[i]);
  const set = new StreamResourceSet(streams);
  attachFolderEvidence(set.resources, plans, options.folders ?? []);
  // One push per result: spreading 100,000 of them would overflow the call stack.
  for (const r of runFunction(fn, set, config, { path: configPath })) results.push(r);
  const passedThrough = streams.some((s) => s.documents.some((d) => isPassThrough(d.doc)));
  if (!streams.length && !hasErrors(results)) {
    results.push({
      severity: 'warning',
      message: `no Kubernetes resources in the input (${describeInputs(inputs)}): every file is a migration artifact, the output is empty`,
    });
  } else if (set.resources.length === 0 && !passedThrough && !hasErrors(results)) {
    // Not an error (an empty package is valid), but an applier that prunes would delete
    // everything it manages on an empty output: say so where a person will see it.
    results.push({
      severity: 'warning',
      message: `no Kubernetes resources in the input (${describeInputs(inputs)}): the output is ${inputs.some((i) => i.text.trim()) ? 'the input as it is' : 'empty'}`,
    });
  }
  const files = kept.map((index, i) => {
    const text = renderDocumentStream(streams[i]);
    return { input: inputs[index], text, changed: text !== inputs[index].text };
  });
  return { files, results, ok: !hasErrors(results), summary: summarize(set, streams) };
}

function summarize(set: StreamResourceSet, streams: readonly DocumentStream[]): ChangeSummary {
  const summary = { changed: 0, created: 0, unchanged: 0 };
  for (const resource of set.resources) {
    // A resource a transform added has no place in the input it came from.
    if (resource.origin.index === undefined) summary.created++;
    else if (resource.changed) summary.changed++;
    else summary.unchanged++;
  }
  // Documents copied through unparsed are resources no function reads.
  for (const stream of streams) {
    summary.unchanged += stream.documents.filter((d) => isPassThrough(d.doc)).length;
  }
  return summary;
}

function describeInputs(inputs: readonly InputFile[]): string {
  if (!inputs.length) return 'no files';
  const names = inputs.slice(0, 3).map(sourceName);
  return names.join(', ') + (inputs.length > 3 ? `, and ${inputs.length - 3} more` : '');
}

/** The config document of a config file: the one of the function's kind, or a ConfigMap. */
export function parseConfigText(text: string, path: string, kind: string): unknown {
  const lineCounter = new LineCounter();
  const docs = parseAllUnique(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const values: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors[0]) throw sourceErrorOf(doc.errors[0], path, text);
    // Aliases and merge keys as in inputs: located errors for unknown ones and bombs.
    expandAliases(doc, { path, lineCounter });
    // An empty document (nothing, or only comments) is no candidate.
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null) values.push(value);
  }
  // Values are never null here (empty documents are skipped above).
  const isKind = (v: unknown, k: string) => (v as { kind?: unknown }).kind === k;
  return (
    values.find((v) => isKind(v, kind)) ??
    values.find((v) => isKind(v, 'ConfigMap')) ??
    values[0] ??
    null
  );
}

/**
 * Several files on one stream: each keeps its text, separated by `---`. The parts are
 * joined once at the end: testing the end of a growing concatenated string flattens it
 * each time, quadratic in the number of files.
 */
export function joinStreams(texts: readonly string[]): string {
  const parts: string[] = [];
  for (const file of texts) {
    if (!file.trim()) continue;
    const previous = parts[parts.length - 1];
    if (previous === undefined) {
      parts.push(file);
      continue;
    }
    // A byte-order mark belongs at the start of the stream only.
    const text = file.startsWith('\uFEFF') ? file.slice(1) : file;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    if (!previous.endsWith('\n')) parts.push(eol);
    if (!/^---(\s|$)/.test(text)) parts.push(`---${eol}`);
    parts.push(text);
  }
  return parts.join('');
}

/** How messages name an input: stdin is `<stdin>`, not `-`. */
function sourceName(input: InputFile): string {
  return input.path === '-' ? '<stdin>' : input.path;
}
