import { looksCollapsed, parseCollapsed } from './collapsed';
import { byteChunks, peekBytes, textChunks, type ProfileSource } from './input';
import { parseJsonProfile } from './jsonProfiles';
import { ProfileParseError, type Profile } from './model';
import { looksLikePstats, parsePstats } from './pstats';
import { looksAustin, parseAustin } from './pythonProfilers';

/** cProfile files are read whole (marshal has no framing to stream by); real ones are a few MB. */
const MAX_PSTATS_BYTES = 1 << 30;
/** A gzip member may expand without bound; profiles beyond this are not something to open anyway. */
const MAX_GUNZIPPED_BYTES = 4 * 2 ** 30;

/**
 * Reads any supported profile, detecting the format from its content (never from the file name, which
 * users rename freely): `{`/`[` is JSON (speedscope or a Chrome trace, told apart by their keys), text
 * whose lines end in a count is collapsed stacks. Collapsed stacks are read as bytes (see collapsed.ts). Everything else gets a message saying what it is.
 */
export async function parseProfile(source: ProfileSource): Promise<Profile> {
  let { head: headBytes, all } = await peekBytes(byteChunks(source));
  if (headBytes[0] === 0x1f && headBytes[1] === 0x8b) {
    // torch.profiler's tensorboard handler writes .pt.trace.json.gz; so do people who compress profiles.
    ({ head: headBytes, all } = await peekBytes(gunzip(all)));
    if (headBytes[0] === 0x1f && headBytes[1] === 0x8b) throw new ProfileParseError('gzip inside gzip: decompress the file first');
  }
  if (looksLikePstats(headBytes)) return parsePstats(await collect(all, MAX_PSTATS_BYTES));
  const head = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(headBytes);
  const trimmed = head.replace(/^[\uFEFF\s]+/, '');
  if (trimmed === '') throw new ProfileParseError('the file is empty');
  const nul = head.indexOf('\u0000');
  if (nul !== -1 && nul < 4096) throw new ProfileParseError(binaryMessage(headBytes));
  const c = trimmed[0]!;
  if (c === '{' || c === '[') return parseJsonProfile(textChunks(all));
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(trimmed)) {
    throw new ProfileParseError("an SVG flame graph (py-spy's default output) has no stack data to read; record with --format speedscope or --format raw");
  }
  if (/^<(!DOCTYPE html|html)/i.test(trimmed)) throw new ProfileParseError('an HTML page, not a profile');
  if (looksAustin(trimmed)) return parseAustin(textChunks(all));
  if (!looksCollapsed(trimmed)) {
    const first = trimmed.split('\n')[0]!.slice(0, 60);
    throw new ProfileParseError(`not a profile Incident Workbench reads: the first line "${first}" is neither JSON nor "frame;frame;frame COUNT"`);
  }
  return parseCollapsed(all);
}

function binaryMessage(head: Uint8Array): string {
  if (head[0] === 0x0a || (head[0] === 0x08 && head.length > 1)) return 'binary data (a pprof protobuf?), not a profile Incident Workbench reads; convert it with `pprof -raw` or record with py-spy --format speedscope';
  if (head[0] === 0x4d && head[1] === 0x4f && head[2] === 0x4a && head[3] === 0x4f) return 'austin\'s binary MOJO format; record without -b (austin -o FILE writes text)';
  return 'binary data, not a profile (cProfile .prof, py-spy raw, speedscope JSON, austin, pyinstrument/scalene JSON or a Chrome trace)';
}

async function collect(chunks: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const c of chunks) {
    size += c.length;
    if (size > max) throw new ProfileParseError(`over ${max >> 20} MB: too big for a cProfile file`);
    parts.push(c);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** gzip through the platform's DecompressionStream (Node 18+, browsers): no Node module in core. */
async function* gunzip(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  const pump = (async () => {
    try {
      for await (const c of chunks) await writer.write(c as Uint8Array<ArrayBuffer>);
      await writer.close();
    } catch (e) {
      await writer.abort(e).catch(() => undefined);
    }
  })();
  const reader = stream.readable.getReader();
  let size = 0;
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>;
      try {
        r = await reader.read();
      } catch (e) {
        throw new ProfileParseError(`the gzip data is damaged or cut off (${e instanceof Error ? e.message : String(e)})`);
      }
      if (r.done) break;
      size += r.value.length;
      if (size > MAX_GUNZIPPED_BYTES) throw new ProfileParseError(`decompresses to more than ${MAX_GUNZIPPED_BYTES / 2 ** 30} GB; not opened`);
      yield r.value;
    }
  } finally {
    reader.releaseLock();
    await pump;
  }
}

export const FORMAT_LABELS: Record<Profile['format'], string> = {
  'pyspy-raw': 'py-spy raw (collapsed stacks)',
  collapsed: 'collapsed stacks',
  'speedscope-sampled': 'speedscope (sampled)',
  'speedscope-evented': 'speedscope (evented)',
  'pyspy-chrometrace': 'py-spy Chrome trace',
  'torch-chrometrace': 'torch.profiler Chrome trace',
  chrometrace: 'Chrome trace',
  pstats: 'cProfile/pstats',
  pyinstrument: 'pyinstrument JSON',
  'pyinstrument-session': 'pyinstrument session',
  scalene: 'scalene JSON',
  austin: 'austin (collapsed stacks with lines)',
};
