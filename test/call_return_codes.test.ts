// Every return code Call, Recv and Reply document, provoked through the public API.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  rcOk, rcInvalidArgument, rcNotConnected, rcInvalidOperation, rcSecurityDisallow, rcTimeout,
  rcBufferTooLarge, retcodeName, nk_message_set_size, nk_msg_set_ncaps,
  nk_err_reset, INVALID_HANDLE,
} from 'kos-ipc';
import { outMsg, inMsg, valueOf, is, newKernel, shutdownAll, syncObject } from './helpers.js';
import { pair } from './pair.js';

test.after.each(shutdownAll);

test('Call returns rcInvalidArgument for a constant part shorter than the header, and queues nothing', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const bad = outMsg(1);
  nk_message_set_size(bad.buf, 20);
  is(await client.CallAsync(ch, bad.hdr, inMsg().hdr), rcInvalidArgument);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout);
  await kernel.shutdown();
});

test('Call returns rcInvalidArgument for a header size larger than its buffer', async () => {
  const { kernel, client, ch } = await pair();
  const bad = outMsg(1);
  nk_message_set_size(bad.buf, 33);
  is(await client.CallAsync(ch, bad.hdr, inMsg().hdr), rcInvalidArgument);
  await kernel.shutdown();
});

test('a response that does not fit the client buffers fails both Reply and Call with rcInvalidArgument', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg(24).hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(2, { size: 32 }).hdr), rcInvalidArgument);
  is(await call, rcInvalidArgument);
  await kernel.shutdown();
});

test('a response arena larger than the client arena fails both sides with rcInvalidArgument', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg(32, 8).hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(2, { arena: new Uint8Array(16) }).hdr), rcInvalidArgument);
  is(await call, rcInvalidArgument);
  await kernel.shutdown();
});

test('a request that does not fit the server buffers fails both Recv and Call with rcInvalidArgument', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const call = client.CallAsync(ch, outMsg(1, { size: 64 }).hdr, inMsg().hdr);
  const m = inMsg(32);
  is(await server.RecvAsync(sh, m.hdr), rcInvalidArgument);
  assert.is(m.hdr.sender, client.taskId, 'the server learns who sent it');
  is(await call, rcInvalidArgument);
  is(server.Reply(sh, outMsg(0).hdr), rcInvalidArgument, 'nothing is left to answer');
  await kernel.shutdown();
});

test('a Reply with an invalid structure returns rcInvalidArgument and ends the waiting Call with it', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const reply = inMsg();
  const call = client.CallAsync(ch, outMsg(1).hdr, reply.hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  const bad = outMsg(2);
  nk_message_set_size(bad.buf, 8);
  is(server.Reply(sh, bad.hdr), rcInvalidArgument);
  is(await call, rcInvalidArgument, 'the caller does not wait for a reply that cannot come');
  is(server.Reply(sh, outMsg(3).hdr), rcInvalidArgument, 'nothing is left to answer');
  await kernel.shutdown();
});

test('Call returns rcNotConnected once the server handle is closed, and queued callers wake with it', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const queued = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  const queued2 = client.CallAsync(ch, outMsg(2).hdr, inMsg().hdr);
  is(server.KnHandleClose(sh), rcOk);
  is(await queued, rcNotConnected);
  is(await queued2, rcNotConnected);
  is(await client.CallAsync(ch, outMsg(3).hdr, inMsg().hdr), rcNotConnected);
  await kernel.shutdown();
});

test('a call waiting for its reply returns rcNotConnected when the server process is terminated', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  const received = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  const queued = client.CallAsync(ch, outMsg(2).hdr, inMsg().hdr);
  await kernel.terminate(server);
  is(await received, rcNotConnected);
  is(await queued, rcNotConnected);
  is(await client.CallAsync(ch, outMsg(3).hdr, inMsg().hdr), rcNotConnected);
  await kernel.shutdown();
});

test('a random, a closed and a foreign handle value are refused with rcInvalidArgument', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  is(await client.CallAsync(0x1234567, outMsg(1).hdr, inMsg().hdr), rcInvalidArgument);
  is(await client.CallAsync(sh, outMsg(1).hdr, inMsg().hdr), rcInvalidArgument, "the server's handle value means nothing to the client");
  is(await server.RecvExAsync(ch, inMsg().hdr, 0, INVALID_HANDLE), rcInvalidArgument, "nor the client's to the server");
  is(client.KnHandleClose(ch), rcOk);
  is(await client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr), rcInvalidArgument);
  is(client.KnHandleClose(ch), rcInvalidArgument, 'a handle closes once');
  await kernel.shutdown();
});

test('a handle of the wrong kind is refused with rcInvalidOperation', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  is(await client.RecvExAsync(ch, inMsg().hdr, 0, INVALID_HANDLE), rcInvalidOperation, 'Recv on a client handle');
  is(await server.CallAsync(sh, outMsg(1).hdr, inMsg().hdr), rcInvalidOperation, 'Call on a listener');
  is(client.Reply(ch, outMsg(1).hdr), rcInvalidOperation, 'Reply on a client handle');
  const sync = syncObject(client);
  is(await client.CallAsync(sync, outMsg(1).hdr, inMsg().hdr), rcInvalidOperation, 'Call on a sync object');
  is(client.KnIpcSetInterrupt(ch), rcInvalidOperation, 'interrupt on a channel');
  is(await client.CallExAsync(ch, outMsg(1).hdr, inMsg().hdr, 0, ch), rcInvalidOperation, 'a channel as sync handle');
  await kernel.shutdown();
});

test('Reply with no call received, or to an unknown threadId, returns rcInvalidArgument', async () => {
  const { kernel, server, client, sh, ch } = await pair();
  is(server.Reply(sh, outMsg(1).hdr), rcInvalidArgument);
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  const wrong = outMsg(2);
  wrong.hdr.threadId = 0x7777;
  is(server.Reply(sh, wrong.hdr), rcInvalidArgument);
  is(server.Reply(sh, outMsg(3).hdr), rcOk);
  is(await call, rcOk);
  await kernel.shutdown();
});

test('a denied request returns rcSecurityDisallow from Call and never reaches the server', async () => {
  const { kernel, server, client, sh, ch } = await pair({
    policy: { rules: [{ event: 'request', src: 'Client', dst: 'Server', mid: 1, decision: 'deny' }] },
  });
  is(await client.CallAsync(ch, outMsg(1, { mid: 1 }).hdr, inMsg().hdr), rcSecurityDisallow);
  is(await server.RecvExAsync(sh, inMsg().hdr, 0, INVALID_HANDLE), rcTimeout);
  const ok = client.CallAsync(ch, outMsg(1, { mid: 0 }).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk, 'other methods are granted');
  is(server.Reply(sh, outMsg(2).hdr), rcOk);
  is(await ok, rcOk);
  await kernel.shutdown();
});

test('a denied response returns rcSecurityDisallow from both Reply and Call', async () => {
  const { kernel, server, client, sh, ch } = await pair({
    policy: { rules: [{ event: 'response', src: 'Server', decision: 'deny' }] },
  });
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(2).hdr), rcSecurityDisallow);
  is(await call, rcSecurityDisallow);
  await kernel.shutdown();
});

test('a response carrying the error flag is checked as an error event', async () => {
  const { kernel, server, client, sh, ch } = await pair({
    policy: { default: 'grant', rules: [{ event: 'error', decision: 'deny' }] },
  });
  const call = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  const err = outMsg(0);
  nk_err_reset(err.buf);
  is(server.Reply(sh, err.hdr), rcSecurityDisallow);
  is(await call, rcSecurityDisallow);
  const call2 = client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr);
  is(await server.RecvAsync(sh, inMsg().hdr), rcOk);
  is(server.Reply(sh, outMsg(5).hdr), rcOk, 'plain responses are granted');
  is(await call2, rcOk);
  await kernel.shutdown();
});

test('a policy whose default is deny refuses every request no rule grants', async () => {
  const { kernel, client, ch } = await pair({ policy: { default: 'deny', rules: [{ event: 'response', decision: 'grant' }] } });
  is(await client.CallAsync(ch, outMsg(1).hdr, inMsg().hdr), rcSecurityDisallow);
  await kernel.shutdown();
});

test('a message whose handle descriptors do not fit its constant part is refused with rcInvalidArgument', async () => {
  const { kernel, client, ch } = await pair();
  const m = outMsg(1); // 32 bytes: one 16-byte descriptor after the 24-byte header needs 40
  nk_msg_set_ncaps(m.buf, 1);
  is(await client.CallAsync(ch, m.hdr, inMsg().hdr), rcInvalidArgument);
  await kernel.shutdown();
});

test('a message larger than 4 MiB is refused with rcBufferTooLarge', async () => {
  const { kernel, client, ch } = await pair();
  is(await client.CallAsync(ch, outMsg(1, { arena: new Uint8Array(4 << 20) }).hdr, inMsg().hdr), rcBufferTooLarge);
  await kernel.shutdown();
});

test.run();
