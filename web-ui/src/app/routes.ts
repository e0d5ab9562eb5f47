import type { FunctionComponent } from 'preact';
import { ProjectsPage } from '../pages/projects/ProjectsPage';
import { ProjectPage } from '../pages/project/ProjectPage';
import { RunsPage } from '../pages/runs/RunsPage';
import { RunPage } from '../pages/run/RunPage';
import { ComparePage } from '../pages/compare/ComparePage';
import { QueuePage } from '../pages/queue/QueuePage';
import { NewRunPage } from '../pages/newrun/NewRunPage';
import type { Route } from './router';

/** What every page receives: its route (params from the pattern, the hash's query). */
export interface PageProps {
  route: Route;
}

export interface RouteDef {
  pattern: string;
  page: FunctionComponent<PageProps>;
  /** The nav entry that is current on this page. */
  section: 'projects' | 'queue';
}

/** The app's routes, first match wins. */
export const ROUTES: RouteDef[] = [
  { pattern: '/', page: ProjectsPage, section: 'projects' },
  { pattern: '/projects', page: ProjectsPage, section: 'projects' },
  { pattern: '/projects/:projectId', page: ProjectPage, section: 'projects' },
  { pattern: '/projects/:projectId/runs', page: RunsPage, section: 'projects' },
  { pattern: '/projects/:projectId/experiments/:experimentId/runs', page: RunsPage, section: 'projects' },
  { pattern: '/projects/:projectId/runs/:runId', page: RunPage, section: 'projects' },
  { pattern: '/projects/:projectId/compare', page: ComparePage, section: 'projects' },
  { pattern: '/projects/:projectId/new-run', page: NewRunPage, section: 'projects' },
  { pattern: '/queue', page: QueuePage, section: 'queue' },
];

export const paths = {
  projects: () => '/projects',
  project: (p: number | string) => `/projects/${p}`,
  projectRuns: (p: number | string) => `/projects/${p}/runs`,
  experimentRuns: (p: number | string, e: number | string) => `/projects/${p}/experiments/${e}/runs`,
  run: (p: number | string, r: number | string) => `/projects/${p}/runs/${r}`,
  /** With query runs=1,2,3. */
  compare: (p: number | string) => `/projects/${p}/compare`,
  newRun: (p: number | string) => `/projects/${p}/new-run`,
  queue: () => '/queue',
  login: () => '/login',
};
