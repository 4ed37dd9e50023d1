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
  // cm_api.h and dcm/dcm_api.h
  'KnCmConnect.md', 'KnCmListen.md', 'KnCmAccept.md', 'KnCmDrop.md', 'DcmInit.md', 'DcmFini.md',
  'DcmPublishEndpoint.md', 'DcmListen.md', 'DcmAccept.md', 'DcmSetSubscription.md', 'DcmReadPubQueue.md',
  'DcmCreateConnection.md', 'DcmConnect.md', 'DcmCloseHandle.md', 'DcmInterruptBlockingCall.md',
  'DcmSubscribeToEvents.md', 'DcmUnsubscribeFromEvents.md',
];

const headings = (text: string): Set<string> =>
  new Set([...text.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]!));

test('there is a page for every call of the foundation', () => {
  for (const page of EXPECTED) assert.ok(owned.includes(page), `docs/api/${page} is missing`);
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
