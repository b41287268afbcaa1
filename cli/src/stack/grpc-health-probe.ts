import * as grpc from '@grpc/grpc-js';
import { loadProtoPackages } from '@flowledger/protos';

interface HealthClient extends grpc.Client {
  Check(
    request: { service: string },
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: { status: string }) => void,
  ): grpc.ClientUnaryCall;
}
type HealthClientConstructor = new (address: string, credentials: grpc.ChannelCredentials) => HealthClient;

const constructors = new Map<string, HealthClientConstructor>();

/**
 * Asks a gRPC server, over the standard `grpc.health.v1.Health/Check`, whether it serves
 * `service` ('' = the server as a whole). False on any failure, never throws.
 */
export async function isGrpcServing(
  address: string,
  protoDir: string,
  options: { service?: string; timeoutMs?: number } = {},
): Promise<boolean> {
  let client: HealthClient | undefined;
  try {
    const Health = healthClientConstructor(protoDir);
    client = new Health(address, grpc.credentials.createInsecure());
    const deadline = new Date(Date.now() + (options.timeoutMs ?? 2000));
    const status = await new Promise<string | undefined>((resolve) => {
      client!.Check({ service: options.service ?? '' }, { deadline }, (error, response) =>
        resolve(error ? undefined : response?.status),
      );
    });
    return status === 'SERVING';
  } catch {
    return false;
  } finally {
    client?.close();
  }
}

function healthClientConstructor(protoDir: string): HealthClientConstructor {
  let Health = constructors.get(protoDir);
  if (!Health) {
    Health = loadProtoPackages<{ grpc: { health: { v1: { Health: HealthClientConstructor } } } }>(
      ['grpc/health/v1/health.proto'],
      protoDir,
    ).grpc.health.v1.Health;
    constructors.set(protoDir, Health);
  }
  return Health;
}
