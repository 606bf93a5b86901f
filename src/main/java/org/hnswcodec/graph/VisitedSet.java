package org.hnswcodec.graph;

/** The nodes a search has already scored. */
public abstract sealed class VisitedSet {

  /** Marks {@code node} visited; returns true if it was not visited before. */
  public abstract boolean visit(int node);

  /** Forgets every visit, ready for the next search. */
  public abstract void clear();

  /**
   * A set for one query: an open-addressing hash set whose memory grows with the number of nodes
   * visited, not with the segment.
   *
   * @param expectedVisits a guess of how many nodes the search will score
   */
  public static VisitedSet forQuery(int expectedVisits) {
    return new Hashed(expectedVisits);
  }

  /**
   * A set reused by many searches over the same {@code size} nodes, as in graph construction: one
   * int per node holding the generation that last visited it, so clearing is one increment.
   */
  public static VisitedSet forBuild(int size) {
    return new Generations(size);
  }

  /**
   * Linear probing over a power-of-two table of {@code node + 1} (0 marks an empty slot), with
   * Fibonacci hashing to spread neighbouring ordinals; kept at most half full.
   */
  private static final class Hashed extends VisitedSet {
    private int[] slots;
    private int shift;
    private int count;

    Hashed(int expectedVisits) {
      int capacity = Integer.highestOneBit(Math.max(64, expectedVisits) * 2 - 1) << 1;
      slots = new int[capacity];
      shift = Integer.numberOfLeadingZeros(capacity - 1);
    }

    @Override
    public boolean visit(int node) {
      int key = node + 1;
      int mask = slots.length - 1;
      for (int i = (key * 0x9E3779B9) >>> shift; ; i = (i + 1) & mask) {
        int slot = slots[i];
        if (slot == key) {
          return false;
        }
        if (slot == 0) {
          slots[i] = key;
          if (++count > slots.length >>> 1) {
            grow();
          }
          return true;
        }
      }
    }

    private void grow() {
      int[] old = slots;
      slots = new int[old.length << 1];
      shift--;
      int mask = slots.length - 1;
      for (int key : old) {
        if (key != 0) {
          int i = (key * 0x9E3779B9) >>> shift;
          while (slots[i] != 0) {
            i = (i + 1) & mask;
          }
          slots[i] = key;
        }
      }
    }

    @Override
    public void clear() {
      java.util.Arrays.fill(slots, 0);
      count = 0;
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
