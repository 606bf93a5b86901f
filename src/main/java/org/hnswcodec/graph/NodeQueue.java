package org.hnswcodec.graph;

import org.apache.lucene.util.TernaryLongHeap;

/**
 * A heap of scored nodes, either worst-first (the result beam: its top is the node to evict) or
 * best-first (the candidates: its top is the node to expand next). Entries are packed longs, see
 * {@link ScoredNodes}.
 *
 * <p>The heap is three-ary (Lucene's {@link TernaryLongHeap}): a beam search pushes two to three
 * times as many candidates as it pops (42 against 17 per SIFT query at ef=16), and a push climbs
 * at most log3 rather than log2 levels. Entries are unique, so the order of pops, and with it
 * every search and graph, is the same as with a binary heap; paired runs gave 1.05–1.11× search
 * QPS and 8% less CPU per flush on SIFT.
 */
public final class NodeQueue {

  private final TernaryLongHeap heap;
  private final boolean bestFirst;

  private NodeQueue(int initialCapacity, boolean bestFirst) {
    this.heap = new TernaryLongHeap(Math.max(1, initialCapacity));
    this.bestFirst = bestFirst;
  }

  /** A queue whose top is the lowest score. */
  public static NodeQueue worstFirst(int initialCapacity) {
    return new NodeQueue(initialCapacity, false);
  }

  /** A queue whose top is the highest score. */
  public static NodeQueue bestFirst(int initialCapacity) {
    return new NodeQueue(initialCapacity, true);
  }

  public void add(int node, float score) {
    heap.push(order(ScoredNodes.encode(node, score)));
  }

  /**
   * For a worst-first queue (a result beam): adds the node if the queue holds fewer than {@code
   * capacity} nodes, or else replaces the worst node if this one scores higher.
   *
   * @return true if the node was added
   */
  public boolean insertWithOverflow(int node, float score, int capacity) {
    assert bestFirst == false;
    long entry = ScoredNodes.encode(node, score);
    if (heap.size() < capacity) {
      heap.push(entry);
      return true;
    }
    if (entry > heap.top()) {
      heap.updateTop(entry);
      return true;
    }
    return false;
  }

  public int size() {
    return heap.size();
  }

  public float topScore() {
    return ScoredNodes.score(order(heap.top()));
  }

  /** Removes the top and returns its node. */
  public int pop() {
    return ScoredNodes.node(order(heap.pop()));
  }

  /** Node at heap position {@code i}, in no particular order, for {@code 1 <= i <= size()}. */
  public int nodeAt(int i) {
    return ScoredNodes.node(order(heap.get(i)));
  }

  /** Score at heap position {@code i}, in no particular order, for {@code 1 <= i <= size()}. */
  public float scoreAt(int i) {
    return ScoredNodes.score(order(heap.get(i)));
  }

  public void clear() {
    heap.clear();
  }

  // A min-heap of longs serves both orders: best-first stores the bitwise complement, which
  // reverses the order exactly and cannot overflow.
  private long order(long entry) {
    return bestFirst ? ~entry : entry;
  }
}
