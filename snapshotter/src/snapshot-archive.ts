import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * The archive folder: one gzip file per snapshot at `<tenant>/<diagram>/<version>.bpmn.gz`
 * (`zcat` reads it). Each file is written to a temporary name, fsync'd, renamed into place and
 * its folder fsync'd, so a reader never sees a half-written snapshot, even after a crash.
 */
export interface SnapshotArchive {
  readonly dir: string;
  /** Writes the file; returns its path relative to the archive folder. */
  write(tenantId: string, diagramId: string, version: number, xmlGz: Buffer): Promise<string>;
  read(relativePath: string): Promise<Buffer>;
  /** Removes a tenant's files, or the whole archive. */
  remove(tenantId?: string): Promise<void>;
  /** Removes one file (`write`'s path); a missing one is no error. */
  removeFile(relativePath: string): Promise<void>;
}

export function createSnapshotArchive(dir: string): SnapshotArchive {
  return {
    dir,
    async write(tenantId, diagramId, version, xmlGz) {
      const relative = snapshotArchivePath(tenantId, diagramId, version);
      const target = join(dir, relative);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
      const file = await open(temp, 'w');
      try {
        await file.writeFile(xmlGz);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
      const folder = await open(dirname(target), 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
      return relative;
    },
    read: (relativePath) => readFile(join(dir, relativePath)),
    async remove(tenantId) {
      await rm(tenantId ? join(dir, safeSegment(tenantId)) : dir, { recursive: true, force: true });
    },
    async removeFile(relativePath) {
      const segments = relativePath.split(/[\\/]/);
      if (segments.length !== 3) throw new Error(`snapshot archive: "${relativePath}" is not a snapshot's path`);
      segments.slice(0, 2).forEach(safeSegment);
      if (!/^[0-9]{1,19}\.bpmn\.gz$/.test(segments[2]!))
        throw new Error(`snapshot archive: "${relativePath}" is not a snapshot's path`);
      await rm(join(dir, relativePath), { force: true });
    },
  };
}

export function snapshotArchivePath(tenantId: string, diagramId: string, version: number): string {
  return join(safeSegment(tenantId), safeSegment(diagramId), `${version}.bpmn.gz`);
}

/** Ids become folder names: refuse anything that could leave the archive folder. */
function safeSegment(id: string): string {
  if (!/^[A-Za-z0-9_.-]{1,200}$/.test(id) || id === '.' || id === '..') {
    throw new Error(`snapshot archive: "${id}" cannot name a folder`);
  }
  return id;
}
