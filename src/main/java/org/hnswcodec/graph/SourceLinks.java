package org.hnswcodec.graph;

import java.io.IOException;

/**
 * The links of a graph being copied into another ({@link GraphBuilder#copyFrom}), renumbered. Links
 * to dropped nodes go; the dropped nodes' own links are offered in their place: the two-hop
 * neighbours through a deleted node are the natural candidates to take its place.
 */
final class SourceLinks {

  private final LayeredGraph source;
  private final int[] sourceToNode;
  private final int[] direct;
  private final int[] twoHop;
  private int kept;
  private int degree;

  SourceLinks(LayeredGraph source, int[] sourceToNode) {
    this.source = source;
    this.sourceToNode = sourceToNode;
    this.direct = new int[source.maxConn(0)];
    this.twoHop = new int[source.maxConn(0)];
  }

  /** The most links {@link #links} can return. */
  int maxLinks() {
    return source.maxConn(0) * (source.maxConn(0) + 1);
  }

  /**
   * Copies the renumbered links of {@code sourceNode} on {@code level} into {@code dest} (room for
   * {@link #maxLinks()}), without duplicates: first its kept neighbours ({@link #keptCount()} of
   * them), then the kept neighbours of its dropped ones.
   *
   * @return the number of links
   */
  int links(int level, int sourceNode, int[] dest) throws IOException {
    boolean replaced = false;
    degree = source.neighbors(level, sourceNode, direct);
    int count = 0;
    for (int i = 0; i < degree; i++) {
      int node = sourceToNode[direct[i]];
      if (node >= 0) {
        dest[count++] = node;
      } else {
        replaced = true;
      }
    }
    kept = count;
    for (int i = 0; replaced && i < degree; i++) {
      if (sourceToNode[direct[i]] >= 0) {
        continue;
      }
      int hops = source.neighbors(level, direct[i], twoHop);
      for (int j = 0; j < hops; j++) {
        int node = sourceToNode[twoHop[j]];
        if (node >= 0 && twoHop[j] != sourceNode) {
          count = addIfAbsent(dest, count, node);
        }
      }
    }
    return count;
  }

  /** How many of the links the last {@link #links} call returned are the node's own. */
  int keptCount() {
    return kept;
  }

  /** How many links the node of the last {@link #links} call had in the source graph. */
  int sourceDegree() {
    return degree;
  }

  /** Whether {@code sourceNode} keeps at least one link on layer 0 once dropped nodes go. */
  boolean hasLinksOnLayerZero(int sourceNode) throws IOException {
    int degree = source.neighbors(0, sourceNode, direct);
    for (int i = 0; i < degree; i++) {
      if (sourceToNode[direct[i]] >= 0) {
        return true;
      }
    }
    for (int i = 0; i < degree; i++) {
      int hops = source.neighbors(0, direct[i], twoHop);
      for (int j = 0; j < hops; j++) {
        if (sourceToNode[twoHop[j]] >= 0 && twoHop[j] != sourceNode) {
          return true;
        }
      }
    }
    return false;
  }

  private static int addIfAbsent(int[] dest, int count, int node) {
    for (int i = 0; i < count; i++) {
      if (dest[i] == node) {
        return count;
      }
    }
    dest[count] = node;
    return count + 1;
  }
}
