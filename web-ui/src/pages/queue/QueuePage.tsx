import type { PageProps } from '../../app/routes';

export function QueuePage(_: PageProps) {
  return (
    <section class="page">
      <h1>Queue and workers</h1>
    </section>
  );
}
