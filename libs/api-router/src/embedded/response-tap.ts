import { Transform, type TransformCallback } from 'node:stream';
import { DEFAULT_MAX_SAMPLED_BODY_BYTES, type ResponseSample, type ResponseSampling } from './response-sample';

type SampleHead = Omit<ResponseSample, 'body' | 'problem'>;

/** True for application/json and the +json types (problem+json, vnd.api+json, …). */
export function isJsonContentType(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** Whether this response should be sampled: JSON only, and at the configured rate. */
export function shouldSample(sampling: ResponseSampling, contentType: string, random: () => number = Math.random): boolean {
  if (!isJsonContentType(contentType)) return false;
  const rate = sampling.rate ?? 1;
  return rate >= 1 || random() < rate;
}

/**
 * A pass-through stream between the upstream body and the client that copies the first
 * `maxBodyBytes` aside. Chunks go on unchanged and at once; parsing and the hook run on a later
 * tick after the last chunk, so the client never waits on sampling.
 */
export function responseTap(sampling: ResponseSampling, head: SampleHead): Transform {
  const limit = sampling.maxBodyBytes ?? DEFAULT_MAX_SAMPLED_BODY_BYTES;
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      if (!tooLarge) {
        size += chunk.length;
        if (size > limit) {
          tooLarge = true;
          chunks.length = 0;
        } else chunks.push(chunk);
      }
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      callback();
      setImmediate(() => deliver(sampling, head, tooLarge ? null : Buffer.concat(chunks)));
    },
  });
}

function deliver(sampling: ResponseSampling, head: SampleHead, body: Buffer | null): void {
  let sample: ResponseSample;
  if (body === null) sample = { ...head, body: undefined, problem: 'too-large' };
  else {
    try {
      sample = { ...head, body: JSON.parse(body.toString('utf8')) };
    } catch {
      sample = { ...head, body: undefined, problem: 'invalid-json' };
    }
  }
  try {
    sampling.onSample(sample);
  } catch {
    // A failing validator must not take traffic down with it; it reports its own findings.
  }
}
