// The soak figure's requests to its worker server (fixtures/soak_server.ts), beside plain values.
export const HEAP = 0xfffffffe, STOP = 0xffffffff;
