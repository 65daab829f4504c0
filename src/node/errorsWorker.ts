/**
 * A worker thread's part of `iwb errors` and Load Logs (see ./errorsParallel.ts): reads the part in
 * `workerData` (./errorsPart.ts) and posts byte progress and the part's states. Built to dist/errorsWorker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../core/util/errors';
import { readErrorsPart, type ErrorsPartTask } from './errorsPart';

const post = (m: unknown) => parentPort!.postMessage(m);

if (parentPort) {
  let pending = 0;
  readErrorsPart(workerData as ErrorsPartTask, (bytes) => {
    pending += bytes;
    if (pending >= 8 << 20) {
      post({ type: 'progress', bytes: pending });
      pending = 0;
    }
  }).then(
    (r) => {
      post({ type: 'progress', bytes: pending });
      post({ type: 'done', ...r });
    },
    (e: unknown) => post({ type: 'error', message: errorMessage(e) }),
  );
}
