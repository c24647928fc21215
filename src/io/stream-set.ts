import { Document } from 'yaml';
import { isKrmObject, Resource } from '../krm/resource';
import type { ResourceSet } from '../krm/resource-set';
import type { DocumentStream, StreamDocument } from '../yaml/document-stream';

/**
 * The resources of one or more multi-document YAML files. A resource created
 * by a transform is appended to the file of the resource it belongs with.
 */
export class StreamResourceSet implements ResourceSet {
  readonly resources: Resource[] = [];
  private readonly streamOf = new Map<Resource, DocumentStream>();

  constructor(readonly streams: readonly DocumentStream[]) {
    for (const stream of streams) {
      stream.documents.forEach((entry, index) => {
        if (isKrmObject(entry.doc.contents)) this.track(stream, entry, index);
      });
    }
  }

  private track(stream: DocumentStream, entry: StreamDocument, index: number): void {
    const node = entry.doc.contents;
    if (!isKrmObject(node)) return;
    const origin = { path: stream.path, index, lineCounter: stream.lineCounter };
    const resource = new Resource(node, entry.doc, origin, () => {
      entry.changed = true;
    });
    this.resources.push(resource);
    this.streamOf.set(resource, stream);
  }

  add(value: Record<string, unknown>, near?: Resource): Resource {
    const stream = (near && this.streamOf.get(near)) ?? this.streams[this.streams.length - 1];
    if (!stream) throw new Error('no input stream to add a resource to');
    const doc = new Document(value);
    stream.appended.push(doc);
    const node = doc.contents;
    if (!isKrmObject(node)) throw new Error('a new resource needs apiVersion and kind');
    const resource = new Resource(node, doc, { path: stream.path });
    resource.changed = true;
    this.resources.push(resource);
    this.streamOf.set(resource, stream);
    return resource;
  }
}
