// The API pages of the foundation (docs/api/*.md, except the message and arena pages, which have
// their own checks) keep the shape STYLE.md asks for, name only real Retcodes, and are indexed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as retcodes from 'kos-ipc/rtl/retcode';

const dir = new URL('../../docs/api/', import.meta.url);
const read = (file: string): string => readFileSync(new URL(file, dir), 'utf8');

/** Pages owned here: every page but the index and the message/arena pages (the transport pages are owned). */
const isOwned = (file: string): boolean =>
  file.endsWith('.md') && file !== 'README.md' && !/^(nk_(?!transport_)|Pack|SMsgHdr)/.test(file);

const allPages = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
const owned = allPages.filter(isOwned);

const EXPECTED = [
  'Call.md', 'CallEx.md', 'Kernel.md', 'KnHandleClose.md', 'KnIpcClearInterrupt.md',
  'KnIpcCreateSyncObject.md', 'KnIpcSetInterrupt.md', 'Process.md', 'Recv.md', 'RecvEx.md',
  'Reply.md', 'ServiceLocatorConnect.md', 'ServiceLocatorGetRiid.md', 'ServiceLocatorRegister.md',
  // capabilities (issue 10)
  'KnHandleCreateUserObject.md', 'KnHandleCreateUserObjectEx.md', 'KnHandleCreateListener.md', 'KnHandleConnect.md',
  'KnHandleCreateBadge.md', 'KnHandleCopy.md', 'KnHandleRevoke.md', 'KnHandleRevokeEx.md', 'KnHandleRevokeSubtree.md',
  'KnHandleGetSidByHandle.md', 'KnNoticeCreate.md', 'KnNoticeSubscribeToObject.md', 'KnNoticeUnsubscribeFromEvent.md',
  'KnNoticeUnsubscribeFromObject.md', 'KnNoticeGetEvent.md', 'KnNoticeSetObjectEvent.md', 'KnNoticeDropAndWake.md',
  'KosTaskGetSelf.md', 'KosTaskGetHandle.md', 'constants.md',
  // cm_api.h and dcm/dcm_api.h
  'KnCmConnect.md', 'KnCmListen.md', 'KnCmAccept.md', 'KnCmDrop.md', 'DcmInit.md', 'DcmFini.md',
  'DcmPublishEndpoint.md', 'DcmListen.md', 'DcmAccept.md', 'DcmSetSubscription.md', 'DcmReadPubQueue.md',
  'DcmCreateConnection.md', 'DcmConnect.md', 'DcmCloseHandle.md', 'DcmInterruptBlockingCall.md',
  'DcmSubscribeToEvents.md', 'DcmUnsubscribeFromEvents.md',
];

/** Pages of the message helpers that capabilities added (not owned above: their names start with nk_). */
const HANDLE_HELPER_PAGES = ['nk_handle_desc.md', 'nk_msg_set_handle.md'];

const headings = (text: string): Set<string> =>
  new Set([...text.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]!));

test('there is a page for every call of the foundation', () => {
  for (const page of EXPECTED) assert.ok(owned.includes(page), `docs/api/${page} is missing`);
});

test('the handle descriptor helpers have their pages', () => {
  for (const page of HANDLE_HELPER_PAGES) assert.ok(allPages.includes(page), `docs/api/${page} is missing`);
  const nameSection = (t: string): string => t.slice(t.indexOf('## NAME'), t.indexOf('## SYNOPSIS'));
  const text = nameSection(read('nk_handle_desc.md')) + nameSection(read('nk_msg_set_handle.md'));
  for (const name of ['nk_handle_desc', 'nk_get_handle', 'nk_get_rights', 'nk_is_handle_dereferenced', 'nk_get_badge_op',
    'nk_msg_set_handle', 'nk_msg_get_handle', 'nk_msg_get_self']) {
    assert.ok(text.includes(`\`${name}\``), `no NAME section names ${name}`);
  }
});

test('every function of handle_api, notice_api and kos/task has its page (an Async twin shares its page)', async () => {
  for (const sub of ['coresrv/handle/handle_api', 'coresrv/handle/notice_api', 'kos/task']) {
    const m = await import(`kos-ipc/${sub}`) as Record<string, unknown>;
    for (const [name, v] of Object.entries(m)) {
      if (typeof v !== 'function') continue;
      const page = `${name.replace(/Async$/, '')}.md`;
      assert.ok(allPages.includes(page), `kos-ipc/${sub} exports ${name}, and docs/api/${page} does not exist`);
      assert.ok(read(page).includes(name), `docs/api/${page} does not name ${name}`);
    }
  }
});

test('constants.md lists every constant of services/ocap, handle/event_descr and handle/handletype with its value', async () => {
  const page = read('constants.md');
  const rows = page.split('\n').filter((l) => l.startsWith('|'));
  for (const sub of ['services/ocap', 'handle/event_descr', 'handle/handletype']) {
    assert.ok(page.includes(`kos-ipc/${sub}`), `constants.md does not name the subpath kos-ipc/${sub}`);
    const m = await import(`kos-ipc/${sub}`) as Record<string, unknown>;
    for (const [name, v] of Object.entries(m)) {
      if (typeof v === 'function') {
        assert.ok(page.includes(`${name}(`), `constants.md does not show the macro ${name}`);
        continue;
      }
      const row = rows.find((l) => l.includes(`\`${name}\``));
      assert.ok(row, `constants.md has no row for ${name}`);
      assert.ok(row!.includes(`0x${(v as number).toString(16)}`), `constants.md: the row of ${name} does not show 0x${(v as number).toString(16)}`);
    }
  }
  assert.match(page, /values are kos-ipc's/, 'constants.md says whose the values are');
});

test('every page has the NAME, SYNOPSIS, DESCRIPTION and ERRORS (or RETURNS) headings', () => {
  for (const page of owned) {
    const h = headings(read(page));
    for (const need of ['NAME', 'SYNOPSIS', 'DESCRIPTION']) {
      assert.ok(h.has(need), `${page} has no "## ${need}" heading`);
    }
    assert.ok(h.has('ERRORS') || h.has('RETURNS'), `${page} has neither "## ERRORS" nor "## RETURNS"`);
  }
});

test('every rc name on a page is a Retcode exported by kos-ipc/rtl/retcode', () => {
  const exported = retcodes as unknown as Record<string, unknown>;
  for (const page of owned) {
    const names = new Set([...read(page).matchAll(/\brc[A-Z][A-Za-z]*\b/g)].map((m) => m[0]));
    for (const name of names) {
      const value = exported[name];
      assert.type(value, 'number', `${page} names ${name}, which kos-ipc/rtl/retcode does not export`);
      assert.is(retcodes.retcodeName(value as number), name, `${page}: ${name} is not a Retcode of that name`);
    }
  }
});

test('the ERRORS section of every call page names at least one code or sentinel', () => {
  for (const page of owned.filter((p) => p !== 'Kernel.md')) {
    const text = read(page);
    const errors = text.slice(text.indexOf('## ERRORS'), text.indexOf('\n## ', text.indexOf('## ERRORS') + 1));
    assert.match(errors, /\brc[A-Z]|INVALID_HANDLE|INVALID_RIID/, `${page}: its ERRORS section names no code`);
  }
});

test('docs/api/README.md links every page of docs/api', () => {
  const index = read('README.md');
  const linked = new Set([...index.matchAll(/\]\(([^)#]+\.md)\)/g)].map((m) => m[1]!));
  for (const page of allPages) assert.ok(linked.has(page), `README.md does not link ${page}`);
});

test('every relative link on a page and in the index points to an existing file', () => {
  for (const page of [...owned, 'README.md']) {
    for (const m of read(page).matchAll(/\]\(([^)#:]+)(#[^)]*)?\)/g)) {
      assert.ok(existsSync(new URL(m[1]!, new URL(page, dir))), `${page} links ${m[1]}, which does not exist`);
    }
  }
});

test.run();
