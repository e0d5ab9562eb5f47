package dev.trainyard.engine.autograd;

/** One input of a node: the node that produced it and which of that node's outputs it was. */
public record Edge(Node node, int outputNr) {
}
