import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { crashPoint } from '@flowledger/crash-points';

/**
 * The archive folder: one gzip file per snapshot at `<tenant>/<diagram>/<version>.bpmn.gz`
 * (`zcat` reads it). Each file is written to a temporary name, fsync'd, renamed into place and
 * its folder fsync'd, so a reader never sees a half-written snapshot, even after a crash. The
 * temporary name says which host and process wrote it: whoever writes the same file next removes
 * what a dead process of this host left (`removeLeftovers`).
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
      const temp = `${target}.${HOST}.${process.pid}.${Date.now()}.tmp`;
      const file = await open(temp, 'w');
      try {
        await file.writeFile(xmlGz);
        await file.sync();
      } finally {
        await file.close();
      }
      crashPoint('snapshot-archive:before-rename');
      await rename(temp, target);
      await removeLeftovers(target);
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

// Dots would make a temporary name ambiguous; a host name without any is as good a label.
const HOST = hostname().replace(/[^A-Za-z0-9_-]/g, '_');

/** Removes `target`'s temporary files left by processes of this host that are gone (a crash mid-write). */
async function removeLeftovers(target: string): Promise<void> {
  const prefix = `${basename(target)}.${HOST}.`;
  for (const name of await readdir(dirname(target))) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isInteger(pid) && !isAlive(pid)) await rm(join(dirname(target), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
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
