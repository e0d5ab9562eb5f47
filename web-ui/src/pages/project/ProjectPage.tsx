import type { PageProps } from '../../app/routes';

export function ProjectPage(_: PageProps) {
  return (
    <section class="page">
      <h1>Project</h1>
    </section>
  );
}
