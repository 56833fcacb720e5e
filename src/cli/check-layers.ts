/**
 * npm run check:layers (part of npm run check)
 *
 * Fails when an import points outward. The rings, innermost first:
 *   src/model     pure: samples, taxonomy, classifier, profiles, scores, campaigns, fleets, the ports they need
 *   src/app       use-cases over the model and the store ports they declare
 *   src/adapters  Redis, hnswlib, transformers.js, webhooks, model files: the ports' implementations
 *   src/runtime   http, queues, threads, config, the service and its composition root
 *   src/cli       offline tools and evals, beside the runtime
 *   src/ui        the analyst workspace, a browser app: it reaches the service only through the
 *                 public API, so it imports nothing of the server's rings
 * and jobs/ holds queue contracts only (names, payload schemas, options). Each ring may import
 * its own ring and the rings inside it; the model and app import no I/O package (the model may
 * use node:crypto for hashes and node:net for address syntax: computation, not I/O).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const RINGS = ['src/model', 'src/app', 'src/adapters', 'src/runtime', 'src/cli', 'src/ui'] as const;
type Ring = (typeof RINGS)[number] | 'jobs';

/** What each place may import from the repository, and which packages. */
const ALLOWED: Record<Ring, { rings: Ring[]; packages: RegExp }> = {
  'src/model': { rings: ['src/model'], packages: /^(zod|node:crypto|node:net)$/ },
  'src/app': { rings: ['src/model', 'src/app'], packages: /^(zod)$/ },
  'src/adapters': { rings: ['src/model', 'src/app', 'src/adapters', 'jobs'], packages: /./ },
  'src/runtime': { rings: ['src/model', 'src/app', 'src/adapters', 'src/runtime', 'jobs'], packages: /./ },
  'src/cli': { rings: ['src/model', 'src/app', 'src/adapters', 'src/runtime', 'src/cli', 'jobs'], packages: /./ },
  jobs: { rings: ['jobs'], packages: /^(zod|bullmq)$/ },
  // Its build config (vite.config.ts) reads node:url; the page imports the front-end packages only.
  'src/ui': { rings: ['src/ui'], packages: /^(react|react-dom\/client|d3-force|vite|@vitejs\/plugin-react|node:url)$/ },
};

function ringOf(file: string): Ring | null {
  const rel = path.relative(REPO, file).split(path.sep).join('/');
  if (rel.startsWith('jobs/')) return 'jobs';
  return RINGS.find((r) => rel.startsWith(`${r}/`)) ?? null;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|tsx|mjs)$/.test(e.name) ? [p] : [];
  });
}

const problems: string[] = [];
const files = [...sources(path.join(REPO, 'src')), ...sources(path.join(REPO, 'jobs'))];
for (const file of files) {
  const ring = ringOf(file);
  if (!ring) {
    problems.push(`${path.relative(REPO, file)}: outside every ring (${RINGS.join(', ')}, jobs)`);
    continue;
  }
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  for (const { fileName: spec } of importedFiles) {
    const where = `${path.relative(REPO, file)} imports '${spec}'`;
    if (spec.startsWith('.')) {
      const target = ringOf(path.resolve(path.dirname(file), spec));
      if (!target || !ALLOWED[ring].rings.includes(target)) problems.push(`${where}: ${ring} may not import ${target ?? 'outside the rings'}`);
    } else if (!ALLOWED[ring].packages.test(spec)) {
      problems.push(`${where}: ${ring} may not import the package ${spec}`);
    }
  }
}

if (problems.length) {
  process.stderr.write(`Imports pointing outward (${problems.length}):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`layers ok: ${files.length} files, every import points inward\n`);
