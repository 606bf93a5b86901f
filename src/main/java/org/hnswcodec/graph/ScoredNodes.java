package org.hnswcodec.graph;

import org.apache.lucene.util.NumericUtils;

/**
 * Packs a (score, node) pair into one {@code long} whose natural order is the order of the score,
 * ties broken by the node id. Heaps of such longs need no objects and no comparator.
 */
final class ScoredNodes {

  private ScoredNodes() {}

  static long encode(int node, float score) {
    return (((long) NumericUtils.floatToSortableInt(score)) << 32) | (node & 0xFFFFFFFFL);
  }

  static int node(long encoded) {
    return (int) encoded;
  }

  static float score(long encoded) {
    return NumericUtils.sortableIntToFloat((int) (encoded >> 32));
  }
}
