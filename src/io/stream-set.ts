import { Document } from 'yaml';
import type { YAMLMap } from 'yaml';
import { isListWrapper, listItems, listMembers } from '../krm/list';
import { isKrmObject, Resource } from '../krm/resource';
import type { ResourceSet } from '../krm/resource-set';
import { createPlainNode } from '../yaml/create-node';
import type { DocumentStream, StreamDocument } from '../yaml/document-stream';

/**
 * The resources of one or more multi-document YAML files. A resource created
 * by a transform is appended to the file of the resource it belongs with, or to the
 * `items` of the `kind: List` it sits in.
 */
export class StreamResourceSet implements ResourceSet {
  readonly resources: Resource[] = [];
  private readonly streamOf = new Map<Resource, DocumentStream>();
  private readonly listOf = new Map<Resource, { entry: StreamDocument; list: YAMLMap }>();
  private readonly entryOf = new Map<Resource, StreamDocument>();

  constructor(readonly streams: readonly DocumentStream[]) {
    for (const stream of streams) {
      stream.documents.forEach((entry, index) => {
        const node = entry.doc.contents;
        if (isListWrapper(node)) {
          for (const member of listMembers(node)) {
            this.listOf.set(this.track(stream, entry, index, member), { entry, list: node });
          }
        } else if (isKrmObject(node)) {
          this.track(stream, entry, index, node);
        }
      });
    }
  }

  private track(
    stream: DocumentStream,
    entry: StreamDocument,
    index: number,
    node: YAMLMap,
  ): Resource {
    const origin = { path: stream.path, index, lineCounter: stream.lineCounter };
    const resource = new Resource(node, entry.doc, origin, () => {
      entry.changed = true;
    });
    this.resources.push(resource);
    this.streamOf.set(resource, stream);
    this.entryOf.set(resource, entry);
    return resource;
  }

  remove(resource: Resource): void {
    const at = this.resources.indexOf(resource);
    if (at < 0) return;
    this.resources.splice(at, 1);
    const inList = this.listOf.get(resource);
    if (inList) {
      const seq = listItems(inList.list);
      seq.items = seq.items.filter((item) => item !== resource.node);
      inList.entry.changed = true;
    } else {
      const entry = this.entryOf.get(resource);
      if (entry) entry.removed = true;
      else {
        // Not read from a file: added by add(), which records its stream.
        const stream = this.streamOf.get(resource)!;
        stream.appended = stream.appended.filter((doc) => doc !== resource.doc);
      }
    }
    this.streamOf.delete(resource);
    this.listOf.delete(resource);
    this.entryOf.delete(resource);
  }

  add(value: Record<string, unknown>, near?: Resource): Resource {
    const stream = (near && this.streamOf.get(near)) ?? this.streams[this.streams.length - 1];
    if (!stream) throw new Error('no input stream to add a resource to');
    const inList = near && this.listOf.get(near);
    if (inList) return this.addToList(stream, inList, value);
    const doc = new Document();
    doc.contents = createPlainNode(doc, value);
    stream.appended.push(doc);
    const node = doc.contents;
    if (!isKrmObject(node)) throw new Error('a new resource needs apiVersion and kind');
    const resource = new Resource(node, doc, { path: stream.path });
    resource.changed = true;
    this.resources.push(resource);
    this.streamOf.set(resource, stream);
    return resource;
  }

  private addToList(
    stream: DocumentStream,
    inList: { entry: StreamDocument; list: YAMLMap },
    value: Record<string, unknown>,
  ): Resource {
    const { entry, list } = inList;
    const node = entry.doc.createNode(value);
    if (!isKrmObject(node)) throw new Error('a new resource needs apiVersion and kind');
    listItems(list).items.push(node);
    entry.changed = true;
    const resource = new Resource(node, entry.doc, { path: stream.path }, () => {
      entry.changed = true;
    });
    resource.changed = true;
    this.resources.push(resource);
    this.streamOf.set(resource, stream);
    this.listOf.set(resource, inList);
    return resource;
  }
}
