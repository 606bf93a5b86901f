package org.hnswcodec.graph;

import java.util.Arrays;
import org.apache.lucene.util.FixedBitSet;

/** The nodes a search has already scored. */
public abstract sealed class VisitedSet {

  /** Marks {@code node} visited; returns true if it was not visited before. */
  public abstract boolean visit(int node);

  /** Forgets every visit, ready for the next search. */
  public abstract void clear();

  /**
   * A set for one search with a beam of {@code beam}, whose memory is bounded by the nodes it can
   * expect to visit, not by the segment. A beam scores about half the links of the nodes it
   * expands and expands about twice its width (SIFT, M=16: 330 visits at ef=16, 790 at ef=64), so
   * {@code beam * maxConn0} visits are expected and the set is sized not to grow. It is a bitset
   * over the whole segment when that is no larger than a hash table for those visits would be (up
   * to 64 nodes per expected visit), else an open-addressing hash set; the bitset is several times
   * faster where it fits.
   *
   * @param size the number of nodes in the graph
   * @param beam the beam width
   * @param maxConn0 the most links of a node on layer 0
   */
  public static VisitedSet forQuery(int size, int beam, int maxConn0) {
    int expectedVisits = (int) Math.min(size, (long) beam * maxConn0);
    if (size <= 64L * Math.max(64, expectedVisits)) {
      return new Bitset(size);
    }
    return new Hashed(expectedVisits);
  }

  /**
   * A set reused by many searches over the same {@code size} nodes, as in graph construction: one
   * int per node holding the generation that last visited it, so clearing is one increment.
   */
  public static VisitedSet forBuild(int size) {
    return new Generations(size);
  }

  private static final class Bitset extends VisitedSet {
    private final FixedBitSet bits;

    Bitset(int size) {
      bits = new FixedBitSet(Math.max(1, size));
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
      Arrays.fill(slots, 0);
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
      boolean fresh = visitedIn[node] != generation;
      visitedIn[node] = generation;
      return fresh;
    }

    @Override
    public void clear() {
      if (++generation == Integer.MAX_VALUE) {
        Arrays.fill(visitedIn, 0);
        generation = 1;
      }
    }
  }
}
