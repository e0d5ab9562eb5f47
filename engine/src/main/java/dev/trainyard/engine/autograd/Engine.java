package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs backward passes: counts each node's dependents with an iterative walk, then runs nodes in reverse
 * topological order from a ready queue, adding up the gradients that reach each node. Nothing recurses per node,
 * so graphs of any depth work.
 */
final class Engine {
    private Engine() {
    }

    static Edge gradientEdge(Tensor t) {
        if (t.base() != null) {
            InPlace.refreshStaleView(t);
        }
        AutogradMeta meta = t.autogradMeta();
        if (meta.gradFn() != null) {
            return new Edge(meta.gradFn(), meta.outputNr());
        }
        return new Edge(meta.accumulator(t), 0);
    }

    static RemovableHandle registerHook(Tensor t, java.util.function.UnaryOperator<Tensor> hook) {
        if (!t.requiresGrad()) {
            throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        }
        Edge e = gradientEdge(t);
        return e.node().addOutputHook(e.outputNr(), hook);
    }

    static void retainGrad(Tensor t) {
        if (!t.requiresGrad()) {
            throw new IllegalStateException("can't retainGrad on a tensor that has requiresGrad=false");
        }
        AutogradMeta meta = t.autogradMeta();
        if (meta.gradFn() == null || meta.retainsGrad()) {
            return;
        }
        meta.markRetainsGrad();
        meta.gradFn().addOutputHook(meta.outputNr(), g -> {
            Tensor current = meta.grad();
            meta.setGrad(current == null ? g.detach().clone() : current.add(g.detach()));
            return g;
        });
    }

    /**
     * Backpropagates from {@code roots}. With {@code inputs} null, gradients accumulate into leaves' {@code grad};
     * otherwise they are returned for {@code inputs} and no leaf is touched.
     */
    static Tensor[] run(List<Tensor> roots, List<Tensor> rootGrads, boolean retainGraph, boolean createGraph,
                        List<Tensor> inputs, boolean allowUnused) {
        Edge[] rootEdges = rootEdges(roots, rootGrads);
        Map<Node, Integer> dependencies = countDependencies(rootEdges);
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        for (int i = 0; i < rootEdges.length; i++) {
            accumulate(buffers, rootEdges[i], rootGrads.get(i));
        }
        Map<Node, int[]> captures = inputs == null ? null : captureSlots(inputs);
        Tensor[] captured = inputs == null ? null : new Tensor[inputs.size()];

        ArrayDeque<Node> ready = new ArrayDeque<>();
        for (Edge e : rootEdges) {
            if (dependencies.getOrDefault(e.node(), 0) == 0 && !ready.contains(e.node())) {
                ready.add(e.node());
            }
        }
        try (var ignored = GradMode.set(createGraph)) {
            if (captures == null) {
                drain(ready, buffers, dependencies, retainGraph);
            } else {
                drainCapturing(ready, buffers, dependencies, retainGraph, captures, captured);
            }
        }
        if (captured != null && !allowUnused) {
            requireAllUsed(captured);
        }
        return captured;
    }

    private static Edge[] rootEdges(List<Tensor> roots, List<Tensor> rootGrads) {
        Edge[] rootEdges = new Edge[roots.size()];
        for (int i = 0; i < roots.size(); i++) {
            Tensor root = roots.get(i);
            if (!root.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a gradFn");
            }
            Tensor g = rootGrads.get(i);
            if (!Arrays.equals(g.shape(), root.shape())) {
                throw new IllegalArgumentException("backward: gradient " + i + " has shape " + Arrays.toString(g.shape())
                        + " but the output has shape " + Arrays.toString(root.shape()));
            }
            rootEdges[i] = gradientEdge(root);
        }
        return rootEdges;
    }

    /** For autograd.grad: per node, which of {@code inputs} each of its outputs is (-1: none). */
    private static Map<Node, int[]> captureSlots(List<Tensor> inputs) {
        Map<Node, int[]> captures = new IdentityHashMap<>();
        for (int k = 0; k < inputs.size(); k++) {
            Tensor in = inputs.get(k);
            if (!in.requiresGrad()) {
                throw new IllegalStateException("autograd.grad: input " + k + " does not require grad");
            }
            Edge e = gradientEdge(in);
            int[] slots = captures.computeIfAbsent(e.node(), n -> filled(n.numOutputs()));
            if (slots[e.outputNr()] >= 0) {
                throw new IllegalArgumentException("autograd.grad: input " + k + " is given twice");
            }
            slots[e.outputNr()] = k;
        }
        return captures;
    }

    /*
     * The loops of a backward pass are kept small: each training step runs one, so the JIT compiles them early, and
     * everything a plain backward() never does (hooks, captures for autograd.grad, error messages) sits in methods of
     * its own rather than being inlined into them.
     */

    /** backward(): runs every ready node until none is left. */
    private static void drain(ArrayDeque<Node> ready, Map<Node, Tensor[]> buffers, Map<Node, Integer> dependencies,
                              boolean retainGraph) {
        // the gradients waiting in buffers that a node returned as owned and nothing was added to: the one holder of
        // their arrays will be the node they wait for (gradients of autograd.grad's captures are never owned)
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            Tensor[] grads = gradsOf(node, buffers);
            node.receiveOwned(ownedOf(node, grads, owned));
            runNode(node, grads, ready, buffers, dependencies, retainGraph, owned);
        }
    }

    /** Which of {@code grads} are {@code node}'s own: owned when queued, and no hook of the node has seen them. */
    private static boolean[] ownedOf(Node node, Tensor[] grads, Set<Tensor> owned) {
        if (owned.isEmpty()) {
            return null;
        }
        boolean[] flags = null;
        boolean hooks = node.hasOutputHooks();
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && owned.remove(grads[i]) && !hooks) {
                if (flags == null) {
                    flags = new boolean[grads.length];
                }
                flags[i] = true;
            }
        }
        return flags;
    }

    /** autograd.grad: as {@link #drain}, also capturing the gradients of the inputs; leaves are not run. */
    private static void drainCapturing(ArrayDeque<Node> ready, Map<Node, Tensor[]> buffers,
                                       Map<Node, Integer> dependencies, boolean retainGraph,
                                       Map<Node, int[]> captures, Tensor[] captured) {
        while (!ready.isEmpty()) {
            Node node = ready.poll();
            Tensor[] grads = gradsOf(node, buffers);
            int[] slots = captures.get(node);
            if (slots != null) {
                for (int i = 0; i < slots.length; i++) {
                    if (slots[i] >= 0) {
                        captured[slots[i]] = grads[i];
                    }
                }
            }
            if (node instanceof AccumulateGrad) {
                continue;
            }
            runNode(node, grads, ready, buffers, dependencies, retainGraph, null);
        }
    }

    /** The gradients that reached {@code node}'s outputs, after its output hooks. */
    private static Tensor[] gradsOf(Node node, Map<Node, Tensor[]> buffers) {
        Tensor[] grads = buffers.remove(node);
        if (grads == null) {
            grads = new Tensor[node.numOutputs()];
        }
        if (node.hasOutputHooks()) {
            runOutputHooks(node, grads);
        }
        return grads;
    }

    private static void runOutputHooks(Node node, Tensor[] grads) {
        for (int i = 0; i < grads.length; i++) {
            grads[i] = node.runOutputHooks(i, grads[i]);
        }
    }

    /** Applies {@code node} and pushes its input gradients along its edges, queueing the nodes this made ready. */
    private static void runNode(Node node, Tensor[] grads, ArrayDeque<Node> ready, Map<Node, Tensor[]> buffers,
                                Map<Node, Integer> dependencies, boolean retainGraph, Set<Tensor> owned) {
        Tensor[] out = node.apply(grads);
        boolean[] returnedOwned = node.takeReturnedOwned();
        if (!retainGraph) {
            node.releaseAll();
        }
        Edge[] edges = node.edges();
        for (int i = 0; i < edges.length; i++) {
            Edge e = edges[i];
            if (e == null) {
                continue;
            }
            if (out[i] != null) {
                Tensor replaced = accumulate(buffers, e, out[i]);
                if (owned != null) {
                    trackOwned(owned, replaced, out[i], returnedOwned != null && returnedOwned[i]);
                }
            }
            if (dependencies.merge(e.node(), -1, Integer::sum) == 0) {
                ready.add(e.node());
            }
        }
    }

    private static void requireAllUsed(Tensor[] captured) {
        for (int k = 0; k < captured.length; k++) {
            if (captured[k] == null) {
                throw new IllegalStateException("autograd.grad: input " + k + " was not used in the graph; "
                        + "pass allowUnused=true if this is intended");
            }
        }
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    private static Map<Node, Integer> countDependencies(Edge[] rootEdges) {
        Map<Node, Integer> dependencies = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Edge e : rootEdges) {
            if (seen.put(e.node(), Boolean.TRUE) == null) {
                stack.push(e.node());
            }
        }
        while (!stack.isEmpty()) {
            Node node = stack.pop();
            for (Edge e : node.edges()) {
                if (e == null) {
                    continue;
                }
                dependencies.merge(e.node(), 1, Integer::sum);
                if (seen.put(e.node(), Boolean.TRUE) == null) {
                    stack.push(e.node());
                }
            }
        }
        return dependencies;
    }

    /** Adds {@code g} to what waits for the edge's node; returns what waited there before (null: nothing). */
    private static Tensor accumulate(Map<Node, Tensor[]> buffers, Edge e, Tensor g) {
        Tensor[] slot = buffers.computeIfAbsent(e.node(), n -> new Tensor[n.numOutputs()]);
        Tensor current = slot[e.outputNr()];
        slot[e.outputNr()] = current == null ? g : current.add(g);
        return current;
    }

    /** A gradient waits as owned only if it waits alone: a sum replaces it (and any owned gradient it was added to). */
    private static void trackOwned(Set<Tensor> owned, Tensor replaced, Tensor g, boolean returnedOwned) {
        if (replaced != null) {
            owned.remove(replaced);
        } else if (returnedOwned) {
            owned.add(g);
        }
    }
}
