// The spec check the clone editor calls as you type (POST /projects/{p}/run-specs/check): 200 with the spec as a
// run would store it, or 400 with every problem at its /spec/... pointer.
import { request } from './client';
import type { JsonValue } from './types';

export function checkRunSpec(projectId: number, spec: string | JsonValue, signal?: AbortSignal):
    Promise<{ spec: JsonValue }> {
  return request<{ spec: JsonValue }>(`/projects/${projectId}/run-specs/check`, { method: 'POST', body: { spec }, signal });
}
