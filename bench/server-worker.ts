// A loopback platform server in a worker thread of its own, for the fan-out benches: the
// real platform does not share the bot's CPU, and on one thread its timers would jitter
// with the bot's work. The worker loads the bench's own file (with tsx's loader, which is
// registered per thread), which calls `serveFromWorker`.
import { parentPort, Worker } from 'node:worker_threads';

/** The main thread's side: starts `moduleUrl` in a worker with `data`; `report` asks it. */
export async function startServerWorker<Init, Report>(moduleUrl: string, data: object) {
  const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};
register();
await import(${JSON.stringify(moduleUrl)});`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: data,
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const init = (await next()) as Init;
  return {
    ...init,
    report: async (): Promise<Report> => {
      const answer = next();
      worker.postMessage('report');
      return (await answer) as Report;
    },
    close: async () => {
      worker.postMessage('close');
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

/** The worker's side: posts `init`, then answers 'report' and 'close'. */
export function serveFromWorker(
  init: object,
  report: () => unknown,
  close: () => Promise<void>,
): void {
  const port = parentPort;
  port?.on('message', async (message: string) => {
    if (message === 'report') {
      port.postMessage(report());
    } else if (message === 'close') {
      await close();
      port.close();
    }
  });
  port?.postMessage(init);
}
