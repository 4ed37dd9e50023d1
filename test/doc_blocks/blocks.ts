// The fenced code blocks of the project's Markdown, read the way docs/contributing.md describes:
// the info string's first word is the block's kind, `key=value` words after it are attributes,
// and an `output` block belongs to the block before it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every kind a block may have; anything else fails the doc-block test. */
export const KINDS = ['js', 'html', 'sh', 'ts', 'output', 'text', 'c', 'yaml', 'json'] as const;
export type Kind = (typeof KINDS)[number];

export interface Block {
  /** The Markdown file, relative to the repository root, with `/`. */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The whole info string, as written. */
  info: string;
  kind: string;
  attrs: Record<string, string>;
  body: string;
  /** The `output` block that follows this one, if any. */
  output?: Block;
}

/** The fenced blocks of one Markdown text, in order; an unclosed fence is an error. */
export function extractBlocks(markdown: string, page: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, rest] = open as unknown as [string, string, string, string];
    const info = rest.trim();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(lines[j]!.startsWith(indent) ? lines[j]!.slice(indent.length) : lines[j]!);
    }
    if (j === lines.length) throw new Error(`${page}:${i + 1}: a code fence is opened and never closed`);
    const [kind = '', ...words] = info.split(/\s+/).filter(Boolean);
    const attrs: Record<string, string> = {};
    for (const w of words) {
      const eq = w.indexOf('=');
      if (eq <= 0) throw new Error(`${page}:${i + 1}: info string word "${w}" is not key=value (docs/contributing.md)`);
      attrs[w.slice(0, eq)] = w.slice(eq + 1);
    }
    blocks.push({ page, line: i + 1, info, kind, attrs, body: body.length ? `${body.join('\n')}\n` : '' });
    i = j;
  }
  blocks.forEach((b, k) => {
    const next = blocks[k + 1];
    if (next?.kind === 'output' && b.kind !== 'output') b.output = next;
  });
  return blocks;
}

/** README.md and every Markdown file under docs/, relative to `root`, sorted. */
export function documentedPages(root: string): string[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.md') ? [p] : [];
  });
  return ['README.md', ...walk(join(root, 'docs')).map((p) => relative(root, p).split('\\').join('/')).sort()];
}

/** Every block of every documented page. */
export function allBlocks(root: string): Block[] {
  return documentedPages(root).flatMap((page) => extractBlocks(readFileSync(join(root, page), 'utf8'), page));
}

/** The text a block is compared with: its lines without trailing spaces, no blank lines at the ends. */
export function normalizeOutput(text: string): string {
  return text.split('\n').map((l) => l.trimEnd()).join('\n').trim();
}
