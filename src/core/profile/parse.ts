import { looksCollapsed, parseCollapsed } from './collapsed';
import { byteChunks, peekBytes, textChunks, type ProfileSource } from './input';
import { parseJsonProfile } from './jsonProfiles';
import { ProfileParseError, type Profile } from './model';

/**
 * Reads any supported profile, detecting the format from its content (never from the file name, which
 * users rename freely): `{`/`[` is JSON (speedscope or a Chrome trace, told apart by their keys), text
 * whose lines end in a count is collapsed stacks. Collapsed stacks are read as bytes (see collapsed.ts). Everything else gets a message saying what it is.
 */
export async function parseProfile(source: ProfileSource): Promise<Profile> {
  const { head: headBytes, all } = await peekBytes(byteChunks(source));
  sniffBinary(headBytes);
  const head = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(headBytes);
  const trimmed = head.replace(/^[\uFEFF\s]+/, '');
  if (trimmed === '') throw new ProfileParseError('the file is empty');
  if (trimmed.startsWith('\u001f\u008b') || trimmed.startsWith('\u001f\uFFFD')) throw new ProfileParseError('gzip-compressed data (a pprof profile?); decompress it, or record with py-spy --format speedscope');
  const nul = head.indexOf('\u0000');
  if (nul !== -1 && nul < 4096) throw new ProfileParseError('binary data, not a text profile (py-spy raw, speedscope JSON or a Chrome trace)');
  const c = trimmed[0]!;
  if (c === '{' || c === '[') return parseJsonProfile(textChunks(all));
  if (/^<(\?xml|svg|!DOCTYPE svg)/i.test(trimmed)) {
    throw new ProfileParseError("an SVG flame graph (py-spy's default output) has no stack data to read; record with --format speedscope or --format raw");
  }
  if (/^<(!DOCTYPE html|html)/i.test(trimmed)) throw new ProfileParseError('an HTML page, not a profile');
  if (!looksCollapsed(trimmed)) {
    const first = trimmed.split('\n')[0]!.slice(0, 60);
    throw new ProfileParseError(`not a profile Incident Workbench reads: the first line "${first}" is neither JSON nor "frame;frame;frame COUNT"`);
  }
  return parseCollapsed(all);
}

function sniffBinary(head: Uint8Array): void {
  if (head[0] === 0x1f && head[1] === 0x8b) throw new ProfileParseError('gzip-compressed data (a pprof profile?); decompress it, or record with py-spy --format speedscope');
}

export const FORMAT_LABELS: Record<Profile['format'], string> = {
  'pyspy-raw': 'py-spy raw (collapsed stacks)',
  collapsed: 'collapsed stacks',
  'speedscope-sampled': 'speedscope (sampled)',
  'speedscope-evented': 'speedscope (evented)',
  'pyspy-chrometrace': 'py-spy Chrome trace',
  'torch-chrometrace': 'torch.profiler Chrome trace',
  chrometrace: 'Chrome trace',
};
