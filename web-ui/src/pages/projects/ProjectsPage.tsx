import type { PageProps } from '../../app/routes';

export function ProjectsPage(_: PageProps) {
  return (
    <section class="page">
      <h1>Projects</h1>
    </section>
  );
}
