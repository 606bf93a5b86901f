package org.hnswcodec.graph;

import org.apache.lucene.util.ArrayUtil;

/**
 * The results of a beam search, best first: what the search's worst-first result queue held when
 * it ended, in the order callers read them (the nearest as a layer's entry points and neighbour
 * candidates, all of them for a collector).
 */
public final class SearchResults {

  private int[] nodes;
  private float[] scores;
  private int size;

  SearchResults(int initialCapacity) {
    nodes = new int[Math.max(1, initialCapacity)];
    scores = new float[nodes.length];
  }

  /** How many nodes the search found. */
  public int size() {
    return size;
  }

  /** The node at rank {@code i}, 0 being the best. */
  public int node(int i) {
    return nodes[i];
  }

  /** The score at rank {@code i}, 0 being the best. */
  public float score(int i) {
    return scores[i];
  }

  /** Forgets the results. */
  void clear() {
    size = 0;
  }

  /**
   * Replaces the contents with the packed entries {@code sorted[from..to)} ({@link ScoredNodes}),
   * sorted in increasing order.
   */
  void fillDescending(long[] sorted, int from, int to) {
    size = to - from;
    if (nodes.length < size) {
      nodes = new int[ArrayUtil.oversize(size, Integer.BYTES)];
      scores = new float[nodes.length];
    }
    for (int i = 0; i < size; i++) {
      long entry = sorted[to - 1 - i];
      nodes[i] = ScoredNodes.node(entry);
      scores[i] = ScoredNodes.score(entry);
    }
  }

  /** Replaces the contents with a worst-first queue's nodes, emptying the queue. */
  void drain(NodeQueue worstFirst) {
    size = worstFirst.size();
    if (nodes.length < size) {
      nodes = new int[ArrayUtil.oversize(size, Integer.BYTES)];
      scores = new float[nodes.length];
    }
    for (int i = size - 1; i >= 0; i--) {
      scores[i] = worstFirst.topScore();
      nodes[i] = worstFirst.pop();
    }
  }
}
