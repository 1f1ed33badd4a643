// Addresses of the sandbox services. Each can be moved by an environment variable.
export interface SandboxAddresses {
  host: string;
  fnoPort: number;
  dataversePort: number;
  identityPort: number;
}

export function sandboxAddresses(env: NodeJS.ProcessEnv = process.env): SandboxAddresses {
  return {
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    fnoPort: Number(env.SANDBOX_FNO_PORT ?? 4001),
    dataversePort: Number(env.SANDBOX_DATAVERSE_PORT ?? 4002),
    identityPort: Number(env.SANDBOX_IDENTITY_PORT ?? 4003),
  };
}
