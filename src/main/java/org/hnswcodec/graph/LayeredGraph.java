package org.hnswcodec.graph;

import java.io.IOException;

/**
 * A navigable small-world graph in layers: every node is on layer 0, and a node on layer {@code l}
 * is on every layer below it. Nodes are vector ordinals {@code 0..size()-1}. Searches start from
 * the single entry node on the top layer.
 */
public interface LayeredGraph {

  /** Number of nodes on layer 0. */
  int size();

  /** Index of the top layer, or -1 when the graph is empty. */
  int topLevel();

  /** The node a search starts from, on the top layer; -1 when the graph is empty. */
  int entryNode();

  /** The nodes on {@code level}, ascending. */
  int[] nodesOnLevel(int level);

  /** The most neighbours a node can have on this layer: 2M on layer 0, M above. */
  int maxConn(int level);

  /**
   * Copies the neighbours of {@code node} on {@code level} into {@code dest}, which has room for at
   * least {@link #maxConn(int) maxConn(level)} entries.
   *
   * @return the number of neighbours copied
   */
  int neighbors(int level, int node, int[] dest) throws IOException;
}
