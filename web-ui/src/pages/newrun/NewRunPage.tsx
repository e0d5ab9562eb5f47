import type { PageProps } from '../../app/routes';

export function NewRunPage(_: PageProps) {
  return (
    <section class="page">
      <h1>New run</h1>
    </section>
  );
}
