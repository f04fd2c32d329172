import { dtypeOfFile } from './dtype-variant.js';
import { modelIdentity, usedKey } from './keys.js';
import type { FileManifest, PartialDownload } from './records.js';
import { deletePartial, deleteStoredFile, readManifests, readPartials } from './stored-files.js';
import type { BlobStore, CachedModel, DeleteModelOptions, FileRef, ModelRef } from './types.js';

/** Listing stored snapshots and removing files by model, revision, host and variant. */

export function sameModel(a: ModelRef, b: ModelRef): boolean {
  return a.host === b.host && a.model === b.model && a.revision === b.revision;
}

export async function listModels(blobs: BlobStore): Promise<CachedModel[]> {
  const byModel = new Map<string, CachedModel>();
  for (const manifest of await readManifests(blobs)) {
    const identity = modelIdentity(manifest);
    let entry = byModel.get(identity);
    if (entry === undefined) {
      const { host, model, revision } = manifest;
      const lastUsed = await blobs.get(usedKey(manifest));
      entry = { host, model, revision, files: [], bytes: 0, lastUsed: typeof lastUsed === 'number' ? lastUsed : 0 };
      byModel.set(identity, entry);
    }
    const dtype = dtypeOfFile(manifest.path);
    entry.files.push(dtype === undefined ? { path: manifest.path, bytes: manifest.bytes } : { path: manifest.path, bytes: manifest.bytes, dtype });
    entry.bytes += manifest.bytes;
  }
  const models = [...byModel.values()];
  for (const entry of models) entry.files.sort((a, b) => byCodePoint(a.path, b.path));
  return models.sort((a, b) => byCodePoint(a.model, b.model) || byCodePoint(a.revision, b.revision) || byCodePoint(a.host, b.host));
}

/** Locale-independent order, so a listing reads the same in every browser language. */
function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Bytes held by complete files and by the stored chunks of partial downloads. */
export async function storedBytes(blobs: BlobStore): Promise<number> {
  const complete = (await readManifests(blobs)).reduce((sum, manifest) => sum + manifest.bytes, 0);
  const partial = (await readPartials(blobs)).reduce((sum, record) => sum + record.chunks.reduce((a, b) => a + b, 0), 0);
  return complete + partial;
}

export interface FileSelection extends DeleteModelOptions {
  model: string;
  /** Files being written right now; their partial downloads are left alone. */
  busy: (file: FileRef) => boolean;
}

function selects(selection: FileSelection, file: FileRef): boolean {
  return file.model === selection.model
    && (selection.revision === undefined || file.revision === selection.revision)
    && (selection.host === undefined || file.host === selection.host)
    && (selection.dtype === undefined || dtypeOfFile(file.path) === selection.dtype);
}

/** Removes the selected files and partial downloads; returns how many complete files were removed. */
export async function removeFiles(blobs: BlobStore, selection: FileSelection): Promise<number> {
  const manifests: FileManifest[] = (await readManifests(blobs)).filter((file) => selects(selection, file));
  const partials: PartialDownload[] = (await readPartials(blobs)).filter((file) => selects(selection, file) && !selection.busy(file));
  for (const manifest of manifests) await deleteStoredFile(blobs, manifest);
  for (const partial of partials) await deletePartial(blobs, partial);
  await forgetUnusedSnapshots(blobs, [...manifests, ...partials]);
  return manifests.length;
}

/** Drops the "last used" entries of snapshots that no longer have any stored file. */
async function forgetUnusedSnapshots(blobs: BlobStore, touched: readonly ModelRef[]): Promise<void> {
  const remaining = new Set((await readManifests(blobs)).map(modelIdentity));
  const gone = touched.filter((ref) => !remaining.has(modelIdentity(ref)));
  await blobs.delete([...new Set(gone.map(usedKey))]);
}
