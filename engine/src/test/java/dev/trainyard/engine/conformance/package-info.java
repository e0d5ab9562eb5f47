/**
 * PyTorch conformance suite.
 *
 * <p>{@code src/test/resources/fixtures/*.json} hold reference outputs and gradients recorded from PyTorch by
 * {@code engine/src/test/python/gen_fixtures.py} (schema at the top of that script; regenerate with
 * {@code /usr/bin/python3 engine/src/test/python/gen_fixtures.py}, which needs Debian's {@code python3-torch}).
 * {@link dev.trainyard.engine.conformance.ConformanceTest} replays every case as one dynamic test:
 * {@link dev.trainyard.engine.conformance.Fixtures} builds the inputs (including the view chains that make them
 * non-contiguous), {@link dev.trainyard.engine.conformance.Ops} maps each op name to the engine API, and
 * {@link dev.trainyard.engine.conformance.Compare} checks dtypes, shapes and values: float32 within 1e-5 relative
 * (1e-4 for reductions over more than 10k elements), float64 within 1e-12, integers and bools exactly.
 *
 * <p>Run only this suite with
 * {@code ./mvnw -q -pl engine test -Dtest='dev.trainyard.engine.conformance.**'}.
 */
package dev.trainyard.engine.conformance;
