import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

/**
 * The design notes live in docs/ and are kept true: every note the code cites exists (with the
 * section it names), nothing cites the notes by their old names outside the repository, and every
 * repository path a note or the README names still exists.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const SOURCE_DIRS = ['app', 'lib', 'db', 'workers', 'bench', 'e2e'];
const SKIP = new Set(['node_modules', '.next', 'migrations', '.cache', 'fixtures']);

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(entry.name)) out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(root, p);
const sources = [...SOURCE_DIRS.flatMap((d) => walk(path.join(root, d))), path.join(root, 'server.ts'), path.join(root, 'instrumentation.ts')];
const notes = fs
  .readdirSync(path.join(root, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => path.join(root, 'docs', f));
const readmes = [path.join(root, 'README.md'), path.join(root, 'bench', 'README.md')];

function headings(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((l) => l.replace(/^#+\s*/, ''));
}

describe('design notes', () => {
  it('exist for every citation in the code, with the section cited', () => {
    const broken: string[] = [];
    let citations = 0;
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/docs\/([\w-]+\.md)(?:, "([^"]+)")?/g)) {
        citations++;
        const note = path.join(root, 'docs', m[1]);
        if (!fs.existsSync(note)) broken.push(`${rel(file)}: ${m[0]} (no such note)`);
        else if (m[2] && !headings(note).some((h) => h.includes(m[2]))) broken.push(`${rel(file)}: ${m[0]} (no such section)`);
      }
    }
    assert.deepEqual(broken, []);
    assert.ok(citations >= 5, `expected the code to cite its design notes, found ${citations} citations`);
  });

  it('are never cited by names that do not resolve in this repository', () => {
    const stale = sources.filter((f) => /\b(ARCHITECTURE|UNLEARNING|CERTIFICATE|STYLE)\.md\b/.test(fs.readFileSync(f, 'utf8'))).map(rel);
    assert.deepEqual(stale, []);
  });

  it('name only repository paths that exist, as the READMEs do, and link only to notes that exist', () => {
    const missing: string[] = [];
    for (const file of [...notes, ...readmes]) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/`((?:app|lib|db|workers|bench|e2e|docs)\/[\w./[\]-]*\.(?:ts|tsx|mjs|js|json|md|f32))\b/g)) {
        if (!fs.existsSync(path.join(root, m[1]))) missing.push(`${rel(file)}: ${m[1]}`);
      }
      for (const m of text.matchAll(/\]\(([\w./-]+\.md)\)/g)) {
        if (!fs.existsSync(path.join(path.dirname(file), m[1]))) missing.push(`${rel(file)}: link ${m[1]}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});
