import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/input/errors.js';
import { readFileCapped, readFileCappedSync } from '../../src/net/read-capped.js';
import { rejection } from '../support/errors.js';
import { tempFolder } from '../support/files.js';

const { dir, file } = tempFolder('read-capped');
const failure = (promise: Promise<unknown>) => rejection(promise, InputError);

function syncFailure(read: () => unknown): InputError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected the read to fail');
}

describe('readFileCapped (every read of a file a user named)', () => {
  it('reads a file up to and including the cap', async () => {
    const path = file('exact.txt', 'x'.repeat(1000));
    expect((await readFileCapped(path, { maxBytes: 1000, label: 'exact.txt' })).length).toBe(1000);
    expect(readFileCappedSync(path, { maxBytes: 1000, label: 'exact.txt' }).length).toBe(1000);
  });

  it('stops a device that never ends (/dev/zero) at the cap', async () => {
    const options = { maxBytes: 1024 * 1024, label: '/dev/zero' };
    const error = await failure(readFileCapped('/dev/zero', options));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('/dev/zero: is over the 1 MiB limit');
    expect(syncFailure(() => readFileCappedSync('/dev/zero', options)).message).toBe(
      '/dev/zero: is over the 1 MiB limit',
    );
  });

  it('names a directory and a missing file', async () => {
    const options = { maxBytes: 1000, label: 'here' };
    expect((await failure(readFileCapped(dir, options))).message).toBe(
      'here: is a directory, not a file',
    );
    expect(syncFailure(() => readFileCappedSync(`${dir}/nope`, options)).message).toBe(
      'here: no such file',
    );
  });
});
