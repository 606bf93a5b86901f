package org.hnswcodec.graph;

import org.apache.lucene.util.ArrayUtil;

/**
 * The best nodes a beam search has seen, at most {@code ef} of them, in arrays sorted best first,
 * each marked once it has been expanded.
 *
 * <p>Without a filter, the nodes a beam search still has to expand are exactly the unexpanded ones
 * among its {@code ef} best: a node outside them scores below the beam's floor and would end the
 * search when its turn came. So one sorted array serves as both the result beam and the candidate
 * queue of the HNSW paper's search, and the next node to expand is the first unmarked one. An
 * insertion shifts the worse part of the array (a memory move of at most {@code ef} entries) where
 * two heaps would each sift a new entry along a path of unpredictable branches.
 *
 * <p>Scores are similarities: higher is closer. Among equal scores, the node added first stays
 * ahead.
 */
public final class SortedBeam {

  /** Marks an expanded node in {@link #nodes}; node ids are never negative. */
  private static final int EXPANDED = 0x80000000;

  private int[] nodes;
  private float[] scores;
  private int size;
  private int capacity;
  /** No unexpanded node sits before this index. */
  private int next;

  SortedBeam(int initialCapacity) {
    nodes = new int[Math.max(1, initialCapacity)];
    scores = new float[nodes.length];
  }

  /** Empties the beam and sets how many nodes it keeps. */
  void clear(int capacity) {
    if (nodes.length < capacity) {
      nodes = new int[ArrayUtil.oversize(capacity, Integer.BYTES)];
      scores = new float[nodes.length];
    }
    this.capacity = capacity;
    size = 0;
    next = 0;
  }

  /** How many nodes the beam holds. */
  public int size() {
    return size;
  }

  /** The node at rank {@code i}, 0 being the best. */
  public int node(int i) {
    return nodes[i] & ~EXPANDED;
  }

  /** The score at rank {@code i}, 0 being the best. */
  public float score(int i) {
    return scores[i];
  }

  boolean isFull() {
    return size == capacity;
  }

  /** The lowest score held; only for a beam that is not empty. */
  float worstScore() {
    return scores[size - 1];
  }

  /**
   * Adds a node, not expanded yet, unless the beam is full and the node scores no higher than the
   * worst one held, which then leaves.
   *
   * @return whether the node was added
   */
  boolean add(int node, float score) {
    if (size == capacity) {
      if (score <= scores[size - 1]) {
        return false;
      }
      size--;
    }
    // the first rank scoring below the new node
    int low = 0;
    int high = size;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (scores[mid] >= score) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    System.arraycopy(nodes, low, nodes, low + 1, size - low);
    System.arraycopy(scores, low, scores, low + 1, size - low);
    nodes[low] = node;
    scores[low] = score;
    size++;
    if (low < next) {
      next = low;
    }
    return true;
  }

  /**
   * Marks the best node not expanded yet as expanded.
   *
   * @return its rank, or -1 if every node held is expanded
   */
  int expandNext() {
    while (next < size && nodes[next] < 0) {
      next++;
    }
    if (next == size) {
      return -1;
    }
    nodes[next] |= EXPANDED;
    return next++;
  }

  /** Replaces the beam's contents with a worst-first queue's nodes, emptying the queue. */
  void drain(NodeQueue worstFirst) {
    clear(worstFirst.size());
    size = worstFirst.size();
    for (int i = size - 1; i >= 0; i--) {
      scores[i] = worstFirst.topScore();
      nodes[i] = worstFirst.pop();
    }
  }
}
