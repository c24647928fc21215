import { dirname } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Resource } from '../krm/resource';
import { isKrmObject } from '../krm/resource';
import type { Result } from '../krm/results';
import { basename } from 'node:path';
import { artifactKind, describeArtifact, GENERATOR_FILES } from '../runtime/artifacts';
import type { ArtifactKind } from '../runtime/artifacts';
import { attachArtifactEvidence, planEvidence } from '../runtime/evidence';
import type { RuntimeEvidence } from '../runtime/evidence';
import type { DocumentStream } from '../yaml/document-stream';
import { isPassThrough } from '../yaml/pass-through';

/** What the I/O layer found in an input folder besides YAML: its Dockerfile's runtime evidence. */
export interface FolderArtifacts {
  dir: string;
  evidence: RuntimeEvidence[];
}

export interface StreamClass {
  /** The whole file is migration artifacts: left out of the output. */
  artifact: boolean;
  /** The plain values of its migration plans (runtime evidence for its folder). */
  plans: unknown[];
  results: Result[];
}

/** A KRM-shaped artifact is found by its apiVersion line, without parsing every Service. */
const ARTIFACT_API = /^apiVersion:[ \t]*["']?(?:skaffold\/|anthos-migrate\.cloud\.google\.com\/)/m;

/**
 * Sorts a file's documents: Kubernetes objects (apiVersion + kind), migration artifacts,
 * empty documents, and the rest. A file of artifacts only is left out (an info names it
 * and what it is); artifacts mixed with other documents, or a document that is neither,
 * is an error naming the file and line (unless `keepUnknown` keeps the latter).
 */
export function classifyStream(stream: DocumentStream, keepUnknown: boolean): StreamClass {
  const kinds: ArtifactKind[] = [];
  const plans: unknown[] = [];
  let others = 0;
  const unknown: number[] = [];

  for (const entry of stream.documents) {
    const value = documentValue(stream, entry.doc);
    if (value === undefined) continue;
    const kind = artifactKind(value); // none for null
    if (kind) {
      kinds.push(kind);
      if (kind === 'migration-plan') plans.push(value);
    } else {
      others++;
      if (!isKrmObject(entry.doc.contents) && !isPassThrough(entry.doc)) unknown.push(entry.start);
    }
  }
  // A generator's own file, in a format not known here: recognised by its name when it
  // holds nothing that is a Kubernetes object.
  if (
    unknown.length &&
    unknown.length === others &&
    GENERATOR_FILES.includes(basename(stream.path))
  ) {
    kinds.push('generator-file');
    others = 0;
  }
  const line = (offset: number) => stream.lineCounter.linePos(offset).line;
  const results: Result[] = [];
  if (kinds.length && others) {
    results.push({
      severity: 'error',
      message: `mixes migration artifacts (${[...new Set(kinds)].map(describeArtifact).join(', ')}) with other documents; keep the artifacts in their own files`,
      file: { path: stream.path },
    });
    return { artifact: false, plans, results };
  }
  if (kinds.length) {
    results.push({
      severity: 'info',
      message: `left out: ${[...new Set(kinds)].map(describeArtifact).join(', ')}, a migration artifact, not for the target cluster`,
      file: { path: stream.path },
    });
    return { artifact: true, plans, results };
  }
  if (unknown.length && !keepUnknown) {
    for (const offset of unknown) {
      results.push({
        severity: 'error',
        message:
          'is neither a Kubernetes object (apiVersion and kind) nor a known migration artifact; fix it, move it out of the input, or pass --keep-unknown to copy it through',
        file: { path: stream.path },
        tags: { line: String(line(offset)) },
      });
    }
  }
  return { artifact: false, plans, results };
}

/**
 * The document's plain value; undefined when it is empty; null for an object that cannot
 * be an artifact, known without building its value (a sound pass-through stand-in, or a
 * Kubernetes object, whose apiVersion line is not an artifact's).
 */
function documentValue(
  stream: DocumentStream,
  doc: DocumentStream['documents'][number]['doc'],
): unknown {
  if (isPassThrough(doc)) {
    // Not parsed for speed: only a candidate artifact is parsed here.
    const text = stream.text.slice(doc.range[0], doc.range[1]);
    if (!ARTIFACT_API.test(text)) return null;
    const parsed = parseAllDocuments(text)[0];
    return parsed?.toJS({ maxAliasCount: 100 }) as unknown;
  }
  // isKrmObject: the apiVersion is a string.
  if (
    isKrmObject(doc.contents) &&
    !ARTIFACT_API.test(`apiVersion: ${String(doc.contents.get('apiVersion'))}`)
  ) {
    return null;
  }
  // An empty document (no contents, or only a comment) reads as null.
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  return value === null ? undefined : value;
}

/**
 * Gives each resource the runtime evidence of its folder: the plans among the inputs and
 * the Dockerfile the I/O layer found there.
 */
export function attachFolderEvidence(
  resources: readonly Resource[],
  plans: readonly { path: string; value: unknown }[],
  folders: readonly FolderArtifacts[],
): void {
  const byDir = new Map<string, RuntimeEvidence[]>();
  const add = (dir: string, e: RuntimeEvidence) => byDir.set(dir, [...(byDir.get(dir) ?? []), e]);
  for (const plan of plans) {
    const e = planEvidence(plan.value, plan.path);
    if (e) add(dirname(plan.path), e);
  }
  for (const folder of folders) for (const e of folder.evidence) add(folder.dir, e);
  for (const resource of resources) {
    const path = resource.origin.path;
    const evidence = path === undefined ? undefined : byDir.get(dirname(path));
    if (evidence) attachArtifactEvidence(resource, evidence);
  }
}
