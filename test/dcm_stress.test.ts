// DCM under load: 8 servers publish and unpublish an endpoint round after round while 8 clients
// subscribe, connect to whichever server is published, call through the callable handle and
// close everything. Checks: every client sees every publication and every unpublishing of every
// server, in order (no lost notification); every call is answered or refused with a code; once
// everyone called DcmFini and closed its handles, kernel.stats() is back at its baseline (no
// leaked handle or object). In-realm processes, Async forms.
// Rounds: KOS_DCM_STRESS_ROUNDS (default 1000).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcTimeout, rcNotConnected, rcResourceNotFound, retcodeName, INVALID_HANDLE, INVALID_RIID,
  DCM_CONNECTION, DCM_PUBLISHED, DCM_UNPUBLISHED, type Process, type Kernel,
} from 'kos-ipc';
import { outMsg, inMsg, valueOf, newKernel, shutdownAll, is } from './helpers.js';
import { taskHandle, callable } from './dcm_helpers.js';

test.after.each(shutdownAll);

const ROUNDS = Number(process.env.KOS_DCM_STRESS_ROUNDS ?? 1000);
const SERVERS = 8, CLIENTS = 8;

function settled(kernel: Kernel): Record<string, number> {
  const { threads: _, ...rest } = kernel.stats();
  return rest;
}

/** Answers every call on `listener` (value + 1) until the listener is closed. */
async function answer(s: Process, listener: number): Promise<number> {
  let served = 0;
  for (;;) {
    const got = inMsg();
    const rc = await s.RecvAsync(listener, got.hdr);
    if (rc !== rcOk) return served;
    const res = outMsg(valueOf(got) + 1);
    res.hdr.threadId = got.hdr.threadId;
    is(s.Reply(listener, res.hdr), rcOk);
    served++;
  }
}

/**
 * Lets timers run: in one realm, Async calls that complete at once chain through microtasks
 * only, and a loop of them would starve every timer (DCM's timeouts among them).
 */
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/**
 * One server: `ROUNDS` times publish, take up to 2 requests, each within 2 ms, accept them (but
 * refuse every fifth), unpublish.
 */
async function serve(s: Process, tally: { accepted: number; refused: number }): Promise<void> {
  const { listener, callable: cal } = callable(s, s.name);
  const answering = answer(s, listener);
  for (let r = 0; r < ROUNDS; r++) {
    await tick();
    const pub: { outPubHandle?: number } = {};
    is(await s.DcmPublishEndpointAsync('svc', 'Stress', taskHandle(s), pub), rcOk);
    for (let n = 0; n < 2; n++) {
      const req: { outConnectionId?: number } = {};
      const rc = await s.DcmListenAsync(pub.outPubHandle!, 2, req);
      if (rc === rcTimeout) break;
      is(rc, rcOk);
      if ((tally.accepted + tally.refused) % 5 === 4) {
        tally.refused++;
      } else {
        is(await s.DcmAcceptAsync(req.outConnectionId!, cal, INVALID_HANDLE), rcOk);
        tally.accepted++;
      }
      is(await s.DcmCloseHandleAsync(req.outConnectionId!), rcOk);
    }
    is(await s.DcmCloseHandleAsync(pub.outPubHandle!), rcOk);
  }
  is(s.KnHandleClose(cal), rcOk);
  is(s.KnHandleClose(listener), rcOk);
  await answering;
  await s.DcmFiniAsync();
}

interface ClientLog { outcomes: Map<string, number>; notes: Map<string, number[]> }

/** One client: until the servers are done, connect to a server it saw published and call it. */
async function client(c: Process, done: { servers: boolean }): Promise<ClientLog> {
  const log: ClientLog = { outcomes: new Map(), notes: new Map() };
  const count = (what: string): void => { log.outcomes.set(what, (log.outcomes.get(what) ?? 0) + 1); };
  const sub: { outSubscrHandle?: number } = {};
  is(await c.DcmSetSubscriptionAsync('Stress', 'svc', null, INVALID_HANDLE, sub), rcOk);
  const handles = new Map<string, number>();
  const published = new Set<string>();
  const read = async (msec: number): Promise<boolean> => {
    const o = { outServerHandle: INVALID_HANDLE, outServerName: '', outPubStatus: 0 };
    const rc = await c.DcmReadPubQueueAsync(sub.outSubscrHandle!, msec, o);
    if (rc === rcTimeout) return false;
    is(rc, rcOk);
    const seq = log.notes.get(o.outServerName) ?? [];
    seq.push(o.outPubStatus);
    log.notes.set(o.outServerName, seq);
    if (o.outPubStatus === DCM_PUBLISHED) published.add(o.outServerName);
    else published.delete(o.outServerName);
    if (handles.has(o.outServerName)) is(c.KnHandleClose(o.outServerHandle), rcOk);
    else handles.set(o.outServerName, o.outServerHandle);
    return true;
  };
  for (let round = 0; !done.servers; round++) {
    await tick();
    while (await read(0));
    if (published.size === 0) { await read(5); continue; }
    const names = [...published];
    const server = names[round % names.length]!;
    const conn: { outConnectionId?: number } = {};
    let rc = await c.DcmCreateConnectionAsync('Stress', 'svc', handles.get(server)!, taskHandle(c), conn);
    if (rc !== rcOk) { is(rc, rcResourceNotFound); count('not published any more'); continue; }
    const got: { outSessionHandle?: number } = {};
    // every request ends in an accept or a refusal (refused, or its publication closed): a wait
    // without a short timeout, so a slow machine cannot turn an accepted request into a timeout
    rc = await c.DcmConnectAsync(conn.outConnectionId!, 30000, got);
    is(await c.DcmCloseHandleAsync(conn.outConnectionId!), rcOk);
    if (rc !== rcOk) { is(rc, rcNotConnected); count(`connect: ${retcodeName(rc)}`); continue; }
    const reply = inMsg();
    rc = await c.CallExAsync(got.outSessionHandle!, outMsg(round, { riid: INVALID_RIID }).hdr, reply.hdr, 5000, INVALID_HANDLE);
    is(rc, rcOk, 'an accepted session is answered');
    assert.is(valueOf(reply), round + 1);
    count('called');
    is(c.KnHandleClose(got.outSessionHandle!), rcOk);
  }
  while (await read(0));
  for (const h of handles.values()) is(c.KnHandleClose(h), rcOk);
  await c.DcmFiniAsync();
  return log;
}

test(`${SERVERS} servers publish and unpublish ${ROUNDS} times while ${CLIENTS} clients subscribe, connect, call and close`, async () => {
  const kernel = await newKernel();
  const servers: Process[] = [], clients: Process[] = [];
  for (let i = 0; i < SERVERS; i++) servers.push(kernel.createProcess(`S${i}`));
  for (let i = 0; i < CLIENTS; i++) clients.push(kernel.createProcess(`C${i}`));
  for (const p of [...servers, ...clients]) kernel.connect(p, DCM_CONNECTION, DCM_CONNECTION);
  const base = settled(kernel);
  for (const p of [...servers, ...clients]) is(await p.DcmInitAsync(), rcOk);
  const done = { servers: false };
  const tally = { accepted: 0, refused: 0 };
  // clients subscribe before any server publishes: each must see every publication
  const running = clients.map((c) => client(c, done));
  await new Promise((r) => setTimeout(r, 10));
  await Promise.all(servers.map((s) => serve(s, tally)));
  done.servers = true;
  const logs = await Promise.all(running);
  let called = 0;
  for (const log of logs) {
    assert.equal([...log.notes.keys()].sort(), servers.map((s) => s.name).sort(), 'every server was seen');
    for (const [name, seq] of log.notes) {
      assert.is(seq.length, 2 * ROUNDS, `${name}: ${ROUNDS} publications and as many unpublishings`);
      seq.forEach((st, i) => { if (st !== (i % 2 === 0 ? DCM_PUBLISHED : DCM_UNPUBLISHED)) assert.unreachable(`${name}: note ${i} out of order`); });
    }
    called += log.outcomes.get('called') ?? 0;
  }
  assert.is(called, tally.accepted, 'every accepted request was called and answered');
  assert.ok(called > 0);
  const refusedSeen = logs.reduce((n, log) => n + (log.outcomes.get('connect: rcNotConnected') ?? 0), 0);
  assert.ok(refusedSeen >= tally.refused, 'every refused request was refused with rcNotConnected');
  assert.equal(settled(kernel), base, 'no handle or object is left');
  const outcomes = new Map<string, number>();
  for (const log of logs) for (const [k, v] of log.outcomes) outcomes.set(k, (outcomes.get(k) ?? 0) + v);
  console.log(`  ${ROUNDS} rounds: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

test.run();
