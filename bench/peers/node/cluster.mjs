// server.mjs behind node:cluster: a primary that forks N workers sharing one listening port
// (the primary accepts and hands each connection to a worker, round-robin).
//
//   PEER_WORKERS=2 node cluster.mjs     (default 2; the other settings as for server.mjs)
//
// With PEER_LISTEN on port 0 every worker gets the same port, chosen once by the primary.
// A worker that dies is not replaced: the primary exits with an error instead, so a
// benchmark never measures a cluster that silently lost a process.

import cluster from 'node:cluster';

import { serve } from './server.mjs';

const workers = Number(process.env.PEER_WORKERS || 2);

if (cluster.isPrimary) {
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`cluster.mjs: worker ${worker.process.pid} exited (${signal || code})`);
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.on(signal, () => {
      stopping = true;
      const alive = Object.values(cluster.workers);
      if (alive.length === 0) process.exit(0);
      let left = alive.length;
      for (const worker of alive) {
        worker.once('exit', () => --left === 0 && process.exit(0));
        worker.kill();
      }
      setTimeout(() => process.exit(0), 2000).unref();
    });
  }
} else {
  serve().catch((err) => {
    console.error(`cluster.mjs worker: ${err.message}`);
    process.exit(1);
  });
}
