import type { PageProps } from '../../app/routes';

/** Placeholder: the ui-charts branch builds this page. */
export function ComparePage({ route }: PageProps) {
  return (
    <section class="page">
      <h1>Compare runs</h1>
      <p>Project {route.params.projectId}{route.params.runId ? `, run ${route.params.runId}` : `, runs ${route.query.get('runs') ?? ''}`}</p>
    </section>
  );
}
