import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The repository's protobuf sources: schemas/proto, a buf module. */
export const PROTO_DIR = fileURLToPath(new URL('../../../schemas/proto', import.meta.url));

/**
 * How every service and client here decodes messages at run time: camelCase fields, int64 as
 * numbers, enums as their names, defaults filled in, the name of the set field of each oneof.
 * `@flowledger/bpmn-operations`' proto mapping is written for exactly these.
 */
export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
} satisfies protoLoader.Options;

/** `files` (paths inside `protoDir`) as a package definition, decoded the way above. */
export function loadProtoDefinition(files: string[], protoDir = PROTO_DIR): protoLoader.PackageDefinition {
  return protoLoader.loadSync(
    files.map((f) => join(protoDir, f)),
    { ...PROTO_LOADER_OPTIONS, includeDirs: [protoDir] },
  );
}

/**
 * `files`' packages as grpc-js service constructors, typed by the caller as the part of the
 * package tree it uses, e.g. `{ flowledger: { query: { v1: { QueryService: ServiceClientConstructor } } } }`.
 */
export function loadProtoPackages<Packages>(files: string[], protoDir = PROTO_DIR): Packages {
  return grpc.loadPackageDefinition(loadProtoDefinition(files, protoDir)) as unknown as Packages;
}
