// The hang guard of the stress figures: a promise that has not settled after a generous time is
// a hang, reported as one (Hang) instead of leaving the run waiting forever.

/** A promise the stress run waited on for too long. */
export class Hang extends Error {}

/** Settles as `p` does, or rejects with a Hang naming `what` after `ms` milliseconds. */
export async function guard<T>(p: Promise<T>, what: string, ms = 10000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hang(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
