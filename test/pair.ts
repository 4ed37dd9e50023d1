// A kernel with an in-realm Server and Client joined by channel "echo".
import type { Kernel, Process, KernelOptions } from 'kos-ipc';
import { newKernel } from './helpers.js';

export interface Pair { kernel: Kernel; server: Process; client: Process; sh: number; ch: number }

export async function pair(options: KernelOptions = {}): Promise<Pair> {
  const kernel = await newKernel(options);
  const server = kernel.createProcess('Server', { endpoints: { main: 'Echo' } });
  const client = kernel.createProcess('Client');
  kernel.connect(client, server, 'echo');
  return {
    kernel, server, client,
    sh: server.ServiceLocatorRegister('echo'),
    ch: client.ServiceLocatorConnect('echo'),
  };
}
