import { useEffect } from 'preact/hooks';
import { cluster } from '../../api';
import type { PageProps } from '../../app/routes';
import { useAsync } from '../../components/useAsync';
import { QueueTable } from './QueueTable';
import { WorkersTable } from './WorkersTable';

const REFRESH_MS = 5000;

/** The queue in lease order with the projects' run limits, and the live workers; refreshed every 5 s. */
export function QueuePage(_: PageProps) {
  const queue = useAsync(() => cluster.queue(), []);
  const workers = useAsync(() => cluster.workers(), []);
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === 'visible') {
        queue.reload();
        workers.reload();
      }
    }, REFRESH_MS);
    return () => clearInterval(t);
  }, []);
  return (
    <section class="page">
      <h1>Queue and workers</h1>
      <h2 id="queue-title">Queued runs</h2>
      <QueueTable queue={queue} workers={workers} />
      <h2 id="workers-title">Workers</h2>
      <WorkersTable workers={workers} />
    </section>
  );
}
