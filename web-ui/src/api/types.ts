// Records of the public REST API (platform-api's Java records; /v3/api-docs). Instants are ISO-8601 strings.

export type RunStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const RUN_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
export const ACTIVE_STATUSES: readonly RunStatus[] = ['QUEUED', 'RUNNING'];

export type ProjectRole = 'viewer' | 'editor' | 'admin';
export type Scope = 'read' | 'write' | 'admin';

/** Every list the API returns; nextCursor is null on the last page. */
export interface ItemList<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: number;
  username: string;
  displayName: string | null;
  siteAdmin: boolean;
  createdAt: string;
}

/** GET /api/v1/users/me */
export interface Me {
  user: User;
  tokenScope: Scope;
  tokenId?: number;
}

/** POST/GET /api/v1/session */
export interface Session {
  user: Me;
  csrfToken: string;
  expiresAt: string;
}

export interface LoginCode {
  code: string;
  expiresAt: string;
}

export type RunCounts = Record<RunStatus, number>;

export interface Project {
  id: number;
  name: string;
  description: string | null;
  createdAt: string;
  /** The caller's role in the project (null for a site admin who is not a member). */
  role: ProjectRole | null;
  runCounts?: RunCounts;
  lastActivityAt?: string;
}

export interface Member {
  userId: number;
  username: string;
  role: ProjectRole;
  addedAt: string;
}

export interface Experiment {
  id: number;
  projectId: number;
  name: string;
  description: string | null;
  createdAt: string;
  runCounts?: RunCounts;
  lastActivityAt?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Resources {
  cpus: number;
  gpus: number;
  memoryMb: number;
  labels: Record<string, string>;
}

/** A metric's latest value (at step), lowest and highest. Non-finite values arrive as "NaN"/"Infinity" strings. */
export interface MetricSummary {
  last: number | string;
  step: number;
  min: number | string;
  max: number | string;
}

export interface Attempt {
  attempt: number;
  workerId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  outcome: string | null;
  reason: string | null;
}

/** A run as listed: no spec, notes or attempts. */
export interface RunSummary {
  id: number;
  projectId: number;
  experimentId: number | null;
  name: string;
  status: RunStatus;
  params: Record<string, JsonValue>;
  tags: string[];
  priority: number;
  attempt: number;
  retries: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  createdBy: string | null;
  metrics: Record<string, MetricSummary>;
}

/** A run in full. */
export interface Run extends RunSummary {
  spec: JsonValue;
  notes: string | null;
  resources: Resources;
  maxAttempts: number;
  workerId: string | null;
  leaseExpiresAt: string | null;
  queuedAt: string | null;
  updatedAt: string;
  clonedFrom: number | null;
  idempotencyKey: string | null;
  attempts: Attempt[];
}

export interface SubmitRun {
  name?: string;
  experimentId?: number;
  /** A run spec as a JSON object, or its YAML text. */
  spec: JsonValue;
  params?: Record<string, JsonValue>;
  tags?: string[];
  notes?: string;
  priority?: number;
  resources?: Partial<Resources>;
  maxAttempts?: number;
}

export interface CloneRun extends Partial<SubmitRun> {
  /** A JSON merge patch on the original spec. */
  spec?: JsonValue;
}

export interface RunPatch {
  name?: string;
  tags?: string[];
  notes?: string;
}

export interface Bucket {
  stepStart: number;
  stepEnd: number;
  count: number;
  nanCount: number;
  min: number | string;
  max: number | string;
  last: number | string;
}

export interface Point {
  step: number;
  value: number | string;
  time: string;
}

/**
 * Buckets as columns (`format=columns`): element i of every array is bucket i. With `format=chart` only stepEnd,
 * min, max and last, the values at 32-bit float precision.
 */
export interface BucketColumns {
  stepStart?: number[];
  stepEnd: number[];
  count?: number[];
  nanCount?: number[];
  min: (number | string)[];
  max: (number | string)[];
  last: (number | string)[];
}

/**
 * Points as columns (`format=columns` and `format=chart`, the values at 32-bit float precision with `chart`);
 * timeMicros: wall time in microseconds since the epoch.
 */
export interface PointColumns {
  step: number[];
  value: (number | string)[];
  timeMicros: number[];
}

/** A series: `buckets` and `points` by default, `bucketColumns` and `pointColumns` with `format=columns` or `chart`. */
export interface Series {
  runId: number;
  key: string;
  count: number;
  buckets?: Bucket[];
  points?: Point[];
  bucketColumns?: BucketColumns;
  pointColumns?: PointColumns;
}

export interface SeriesQuery {
  fromStep: number | null;
  toStep: number | null;
  bucketWidth: number | null;
  series: Series[];
}

export interface KeySummary {
  key: string;
  last: number | string;
  step: number;
  min: number | string;
  max: number | string;
  updatedAt: string;
}

export interface RunSummaries {
  runId: number;
  metrics: Record<string, KeySummary>;
}

export interface LogLine {
  seq: number;
  time: string;
  stream: string;
  text: string;
}

export interface LogPage {
  runId: number;
  attempt: number;
  items: LogLine[];
  lastSeq: number | null;
  more: boolean;
}

export interface Checkpoint {
  id: number;
  runId: number;
  step: number;
  epoch: number | null;
  metrics: Record<string, number>;
  sizeBytes: number;
  sha256: string;
  filename: string;
  attempt: number | null;
  uploadedBy: string | null;
  createdAt: string;
  /** The path to download it from. */
  content: string;
}

export interface QueueItem {
  position: number;
  projectId: number;
  projectName: string;
  experimentId: number | null;
  runId: number;
  runName: string;
  priority: number;
  queuedAt: string;
  resources: Resources;
  labels: Record<string, string>;
}

export interface ProjectLimit {
  projectId: number;
  projectName?: string;
  /** The most runs the project may run at once; null when unlimited (the API's field). */
  maxRunning?: number | null;
  limit?: number | null;
  runLimit?: number | null;
  running: number;
}

export interface Queue {
  items: QueueItem[];
  projectLimits: ProjectLimit[];
}

export interface Gpu {
  model: string;
  memoryMb: number | null;
}

export interface Devices {
  cpus: number;
  memoryMb: number;
  gpus: Gpu[] | null;
}

export interface ClusterWorkerRun {
  id: number;
  projectId: number;
  name: string;
  attempt: number;
}

export interface ClusterWorker {
  id: string;
  name: string;
  labels: Record<string, string>;
  devices: Devices;
  free: Devices | { cpus: number; memoryMb: number; gpuIndices?: number[]; gpus?: Gpu[] | null };
  status: string;
  lastHeartbeatAt: string | null;
  heartbeatAgeSeconds: number | null;
  runs: ClusterWorkerRun[];
  otherRuns: number;
}

/** RFC 9457 problem details, with the API's field errors. */
export interface FieldProblem {
  pointer?: string;
  parameter?: string;
  detail: string;
  rejectedValue?: unknown;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  errors?: FieldProblem[];
}

/** Server-sent events of a run, experiment or project stream (as the API sends them). */
export interface StatusEvent {
  runId: number;
  experimentId: number | null;
  from: RunStatus | null;
  to: RunStatus;
  attempt: number;
  at: string;
}

/** Coalesced new points of one run: how many, and each touched key's state by key name. */
export interface MetricsEvent {
  runId: number;
  points: number;
  keys: Record<string, MetricSummary>;
}

/** The first event of an experiment or project stream: its newest runs (at most 1000) and their status. */
export interface RunsSnapshot {
  runs: { id: number; name: string; experimentId: number | null; status: RunStatus; attempt: number }[];
  truncated: boolean;
}
