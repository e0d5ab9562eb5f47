import type { PageProps } from '../../app/routes';

export function RunsPage(_: PageProps) {
  return (
    <section class="page">
      <h1>Runs</h1>
    </section>
  );
}
