package org.hnswcodec.graph;

import org.apache.lucene.util.SparseFixedBitSet;

/** The nodes a search has already scored. */
public abstract sealed class VisitedSet {

  /** Marks {@code node} visited; returns true if it was not visited before. */
  public abstract boolean visit(int node);

  /** Forgets every visit, ready for the next search. */
  public abstract void clear();

  /**
   * A set for one query on a segment of {@code size} nodes: its memory grows with the number of
   * nodes visited (sparse 64-bit blocks), not with the segment.
   */
  public static VisitedSet forQuery(int size) {
    return new Sparse(size);
  }

  /**
   * A set reused by many searches over the same {@code size} nodes, as in graph construction: one
   * int per node holding the generation that last visited it, so clearing is one increment.
   */
  public static VisitedSet forBuild(int size) {
    return new Generations(size);
  }

  private static final class Sparse extends VisitedSet {
    private final SparseFixedBitSet bits;

    Sparse(int size) {
      bits = new SparseFixedBitSet(Math.max(1, size));
    }

    @Override
    public boolean visit(int node) {
      return bits.getAndSet(node) == false;
    }

    @Override
    public void clear() {
      bits.clear();
    }
  }

  private static final class Generations extends VisitedSet {
    private final int[] visitedIn;
    private int generation = 1;

    Generations(int size) {
      visitedIn = new int[size];
    }

    @Override
    public boolean visit(int node) {
      if (visitedIn[node] == generation) {
        return false;
      }
      visitedIn[node] = generation;
      return true;
    }

    @Override
    public void clear() {
      if (++generation == Integer.MAX_VALUE) {
        java.util.Arrays.fill(visitedIn, 0);
        generation = 1;
      }
    }
  }
}
