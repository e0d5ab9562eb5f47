// The series parser's worker: a series query's JSON body in, its typed arrays out (transferred, not copied), so the
// parsing and the conversions run beside the page's draws rather than between them.
import { arrayBuffersOf, parseSeriesAnswer } from './seriesArrays';
import type { ParseReply, ParseRequest } from './seriesParser';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ParseRequest>) => void) | null;
  postMessage(message: ParseReply, transfer?: Transferable[]): void;
};

scope.onmessage = (e) => {
  const { id, body } = e.data;
  try {
    const series = parseSeriesAnswer(body);
    scope.postMessage({ id, series }, arrayBuffersOf(series));
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
scope.postMessage({ id: 0 });
