#!/usr/bin/env node
// Downloads a Hugging Face Hub sentence model in transformers.js layout into models/<id>/, so the
// service can use it instead of the built-in glove-sif-100d (set its model name to <id>):
//
//   node models/pull.mjs Xenova/all-MiniLM-L6-v2 [--out models] [--revision main]
//
// Needs the hub (or a mirror given by HF_ENDPOINT) to be reachable; fetches config.json,
// tokenizer.json, tokenizer_config.json and onnx/model.onnx (fp32) through transformers.js
// itself, checks that the model embeds a sentence, then moves the files into place atomically.
// The model must already be exported to ONNX (the Xenova/* and onnx-community/* repos are).

import { parseArgs } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const log = (msg) => process.stderr.write(`[models:pull] ${msg}\n`);

function readArgs(args) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string', default: path.dirname(fileURLToPath(import.meta.url)) },
      revision: { type: 'string', default: 'main' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return { id: values.help ? undefined : positionals.at(-1), out: path.resolve(values.out), revision: values.revision };
}

async function main() {
  const opts = readArgs(process.argv.slice(2));
  if (!opts.id) {
    process.stderr.write('usage: node models/pull.mjs <hub id, e.g. Xenova/all-MiniLM-L6-v2> [--out models] [--revision main]\n');
    process.exitCode = 2;
    return;
  }
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(opts.id) || opts.id.split('/').some((p) => p === '.' || p === '..')) {
    throw new Error(`not a hub model id: ${opts.id}`);
  }
  const finalDir = path.join(opts.out, ...opts.id.split('/'));
  const tmp = path.join(opts.out, `.pull-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });

  const { env, pipeline } = await import('@huggingface/transformers');
  if (process.env.HF_ENDPOINT) env.remoteHost = process.env.HF_ENDPOINT.replace(/\/?$/, '/');
  env.allowRemoteModels = true;
  env.allowLocalModels = false; // never pick up a stale local copy
  env.useFSCache = true;
  env.cacheDir = tmp; // files land in <tmp>/<id>/..., exactly the layout we want

  try {
    log(`downloading ${opts.id}@${opts.revision} from ${env.remoteHost}`);
    let lastFile = '';
    const extractor = await pipeline('feature-extraction', opts.id, {
      dtype: 'fp32',
      revision: opts.revision,
      cache_dir: tmp,
      progress_callback: (p) => {
        if (p.status === 'done' && p.file && p.file !== lastFile) {
          lastFile = p.file;
          log(`  ${p.file}`);
        }
      },
    });
    const out = await extractor(['a quick check that the model embeds text'], { pooling: 'mean', normalize: true });
    const dim = out.dims[1];
    if (!(dim > 0) || !Array.from(out.data).every(Number.isFinite)) throw new Error('downloaded model did not produce a finite embedding');
    await extractor.dispose?.();
    const downloaded = path.join(tmp, ...opts.id.split('/'));
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      if (!fs.existsSync(path.join(downloaded, f))) throw new Error(`download incomplete: ${f} missing`);
    }
    fs.mkdirSync(path.dirname(finalDir), { recursive: true });
    const old = `${finalDir}.old-${process.pid}`;
    const had = fs.existsSync(finalDir);
    if (had) fs.renameSync(finalDir, old);
    fs.renameSync(downloaded, finalDir);
    if (had) fs.rmSync(old, { recursive: true, force: true });
    log(`ok: ${path.relative(process.cwd(), finalDir) || finalDir} (${dim} dims); use model name "${opts.id}"`);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    if (/fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network|getaddrinfo/i.test(msg + cause)) {
      log(`cannot reach the model hub at ${env.remoteHost}${cause}.`);
      log('This machine has no route to the hub. Pull on a connected machine and copy models/<id>/ over,');
      log('or point HF_ENDPOINT at a reachable mirror. The built-in glove-sif-100d needs no download.');
    } else {
      log(`failed: ${msg}${cause}`);
    }
    process.exitCode = 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  log(`failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
