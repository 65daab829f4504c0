/**
 * A worker thread's parts of `iwb errors` and Load Logs (see ./errorsParallel.ts): reads each part it is
 * given (./errorsPart.ts) and posts byte progress and the part's states. Built to dist/errorsWorker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readErrorsPart, type ErrorsPartTask } from './errorsPart';
import { serveParts } from './parallel';

if (parentPort) {
  const port = parentPort;
  serveParts(port, workerData as ErrorsPartTask, async (task) => {
    let pending = 0;
    const r = await readErrorsPart(task, (bytes) => {
      pending += bytes;
      if (pending >= 8 << 20) {
        port.postMessage({ type: 'progress', bytes: pending });
        pending = 0;
      }
    });
    port.postMessage({ type: 'progress', bytes: pending });
    return { result: r };
  });
}
