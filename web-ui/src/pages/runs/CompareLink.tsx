import { href } from '../../app/router';
import { paths } from '../../app/routes';
import { MAX_COMPARE_RUNS } from '../compare/compareModel';

/**
 * The runs table's Compare: a link to the compare page with the selected runs (the first 100) once two or more are
 * selected; before that a disabled button and, beside it, what it takes to enable it (comparing needs two runs).
 */
export function CompareLink({ projectId, selected }: { projectId: number; selected: readonly number[] }) {
  if (selected.length < 2) {
    return (
      <>
        <span class="muted compare-hint" id="compare-hint">
          {selected.length === 0 ? 'Select two or more to compare' : 'Select one more to compare'}
        </span>
        <button type="button" class="primary" disabled aria-describedby="compare-hint">Compare</button>
      </>
    );
  }
  const ids = selected.slice(0, MAX_COMPARE_RUNS);
  return (
    <a class="button primary" href={href(paths.compare(projectId), { runs: ids.join(',') })}>
      Compare {ids.length}{selected.length > MAX_COMPARE_RUNS ? ` (first ${MAX_COMPARE_RUNS})` : ''}
    </a>
  );
}
