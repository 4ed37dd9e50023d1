// Processes killed at random moments, often in the middle of a syscall, must not hang the
// others: 200 rounds (KOS_STRESS_ROUNDS to change) each start a victim worker, a server that
// two survivor clients call or a client that calls two survivor servers, and terminate it
// after a random delay. Every round checks that each survivor returned: the survivor clients
// report their failed call on the dead victim (rcNotConnected, never a timeout), and the
// survivor servers still answer. Then kernel.shutdown() must succeed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Kernel, rcOk, retcodeName, INVALID_HANDLE } from 'kos-ipc';
import { outMsg, inMsg, valueOf, fixture, sleep, newKernel, shutdownAll } from './helpers.js';

test.after.each(shutdownAll);

const ROUNDS = Number(process.env.KOS_STRESS_ROUNDS ?? 200);

let seed = 0x2545f491;
const random = (): number => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };

test(`${ROUNDS} random terminations leave every survivor answering and shutdown succeeding`, async () => {
  const kernel = await newKernel();
  const main = kernel.createProcess('Main');
  for (const c of ['CliA', 'CliB']) kernel.connect(c, main, 'report');
  for (const s of ['SrvA', 'SrvB']) kernel.connect(main, s, `echo_${s}`);
  await Promise.all(['SrvA', 'SrvB'].map((s) => kernel.spawn(s, fixture('echo_server'), { args: [`echo_${s}`] })));
  const clients = await Promise.all([kernel.spawn('CliA', fixture('stress_client')), kernel.spawn('CliB', fixture('stress_client'))]);

  // Main collects the survivor clients' reports: reported[name] = list of [k, calls, code].
  const reported = new Map<number, number[][]>();
  const sh = main.ServiceLocatorRegister('report');
  let serving = true;
  const collector = (async () => {
    while (serving) {
      const m = inMsg(40);
      if (await main.RecvAsync(sh, m.hdr) !== rcOk) return;
      const dv = new DataView(m.buf.buffer);
      const list = reported.get(m.hdr.sender) ?? [];
      list.push([dv.getUint32(24, true), dv.getUint32(28, true), dv.getUint32(32, true)]);
      reported.set(m.hdr.sender, list);
      main.Reply(sh, outMsg(0).hdr);
    }
  })();
  const waitReports = async (k: number): Promise<void> => {
    const deadline = Date.now() + 20000;
    while (clients.some((c) => (reported.get(c.taskId)?.length ?? 0) <= k)) {
      if (Date.now() > deadline) {
        assert.unreachable(`round ${k}: a survivor client did not return from its call on the dead victim`);
      }
      await sleep(1);
    }
  };

  let servers = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let victimName: string;
    if (random() < 0.5) {
      victimName = `V${servers}`;
      for (const c of ['CliA', 'CliB']) kernel.connect(c, victimName, `echo_${victimName}`);
      await kernel.spawn(victimName, fixture('echo_server'), { args: [`echo_${victimName}`] });
    } else {
      victimName = `X${round}`;
      const target = random() < 0.5 ? 'SrvA' : 'SrvB';
      kernel.connect(victimName, target, `echo_${target}`);
      await kernel.spawn(victimName, fixture('stress_victim_client'), { args: [`echo_${target}`] });
    }
    await sleep(random() * 6);
    const victim = kernel.process(victimName)!;
    if (victim) await kernel.terminate(victim);
    if (victimName.startsWith('V')) await waitReports(servers++);
    for (const s of ['SrvA', 'SrvB']) {
      const ch = main.ServiceLocatorConnect(`echo_${s}`);
      assert.ok(ch !== INVALID_HANDLE);
      const reply = inMsg();
      const rc = await main.CallExAsync(ch, outMsg(round).hdr, reply.hdr, 10000, INVALID_HANDLE);
      assert.is(retcodeName(rc), 'rcOk', `round ${round}: survivor ${s} stopped answering`);
      assert.is(valueOf(reply), round + 1);
    }
  }
  for (const c of clients) {
    const list = reported.get(c.taskId)!;
    assert.is(list.length >= servers, true);
    for (const [k, calls, code] of list) {
      assert.is(code, 1, `${c.name}, victim V${k}: its last call (of ${calls}) failed with code ${code}, not rcNotConnected`);
    }
  }
  serving = false;
  await kernel.shutdown();
  await collector;
  console.log(`  ${ROUNDS} rounds, ${servers} victim servers, ${ROUNDS - servers} victim clients`);
});

test.run();
