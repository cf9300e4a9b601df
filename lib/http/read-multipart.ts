import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Busboy from 'busboy';
import { AppError } from '@/lib/errors/app-error';

export type MultipartLimits = {
  /** The whole body, counted as it arrives (chunked or not; Content-Length is only an early refusal). */
  maxBytes: number;
  /** Each file part. */
  maxFileBytes: number;
  maxFiles: number;
  /** Each text field. */
  maxFieldBytes: number;
};

export type FilePart = { field: string; filename: string; stream: Readable };

const MiB = (n: number) => `${Math.round(n / 2 ** 20)} MB`;

/**
 * Parses multipart/form-data as a stream (busboy) with every limit enforced while reading: the body
 * size, each file's size, the number of files and each field's size. Each file part is handed to
 * `onFile` as a stream as it arrives (to be written to the blob store, say), so memory stays
 * bounded by what `onFile` keeps. The first violated limit or malformed part stops the read and is
 * thrown as a 4xx; `onFile` results are returned in the order of the parts.
 */
export async function readMultipart<T>(
  request: Request,
  opts: { limits: MultipartLimits; fileFields: readonly string[]; textFields?: readonly string[]; onFile: (part: FilePart) => Promise<T> },
): Promise<{ fields: Map<string, string>; files: { field: string; filename: string; value: T }[] }> {
  const { limits } = opts;
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(type)) throw new AppError('unsupported_media_type', 'Send this as multipart/form-data.');
  const declared = Number(request.headers.get('content-length') ?? 0);
  const tooLarge = () => new AppError('payload_too_large', `An upload here is limited to ${MiB(limits.maxBytes)}; this one is larger. Split it into several.`);
  if (declared > limits.maxBytes)
    throw new AppError('payload_too_large', `The upload is ${MiB(declared)}; an upload here is limited to ${MiB(limits.maxBytes)}. Split it into several.`);
  if (!request.body) throw new AppError('bad_request', 'The multipart body is empty.');

  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: { 'content-type': type },
      // A part's file name is the manifest's path (folder/photo.jpg), only ever used as a key: keep its folders.
      preservePath: true,
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fieldSize: limits.maxFieldBytes, fields: 20, parts: limits.maxFiles + 20 },
    });
  } catch (err) {
    throw new AppError('bad_request', `The multipart header is not usable: ${(err as Error).message}.`);
  }
  const source = Readable.fromWeb(request.body as WebReadableStream<Uint8Array>);
  let received = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      received += chunk.length;
      cb(received > limits.maxBytes ? tooLarge() : null, chunk);
    },
  });
  const fields = new Map<string, string>();
  const pending: Promise<{ field: string; filename: string; value: T }>[] = [];

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      parser.destroy();
      const error =
        err instanceof AppError
          ? err
          : new AppError('bad_request', `The multipart body could not be read: it is malformed or was cut off (${(err as Error).message}).`);
      // Parts being written finish or fail first, so the caller's clean-up sees every one of them.
      void Promise.allSettled(pending).then(() => reject(error));
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new AppError('payload_too_large', `The field "${name}" is larger than ${limits.maxFieldBytes} bytes.`));
      if (opts.textFields?.includes(name)) fields.set(name, value);
    });
    parser.on('file', (field, stream, info) => {
      if (!opts.fileFields.includes(field)) {
        stream.resume();
        return fail(
          new AppError('validation_failed', `Unexpected file part "${field}": this upload takes ${opts.fileFields.map((f) => `"${f}"`).join(', ')}.`),
        );
      }
      stream.on('limit', () => {
        const err = new AppError('payload_too_large', `"${info.filename ?? field}" is larger than ${MiB(limits.maxFileBytes)}, the limit for one file.`);
        // busboy still marks the stream truncated after this event: stop everything on the next tick.
        setImmediate(() => {
          stream.destroy(err);
          fail(err);
        });
      });
      const filename = (info.filename ?? '').replace(/\\/g, '/');
      const done = opts.onFile({ field, filename, stream }).then((value) => ({ field, filename, value }));
      done.catch(fail);
      pending.push(done);
    });
    parser.on('filesLimit', () => fail(new AppError('payload_too_large', `An upload holds at most ${limits.maxFiles} files.`)));
    parser.on('partsLimit', () => fail(new AppError('payload_too_large', 'The upload has too many parts.')));
    parser.on('fieldsLimit', () => fail(new AppError('payload_too_large', 'The upload has too many fields.')));
    parser.on('error', fail);
    parser.on('close', () => {
      if (!failed) Promise.all(pending).then(() => resolve(), fail);
    });
    source.on('error', fail);
    counter.on('error', fail);
    source.pipe(counter).pipe(parser);
  });
  return { fields, files: await Promise.all(pending) };
}

/** Collects a file part into memory, for parts already bounded by maxFileBytes (a reference photo). */
export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
