package org.hnswcodec.tool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.util.FixedBitSet;
import org.hnswcodec.disk.OffHeapGraph;

/**
 * The shape of one graph: nodes and degrees per layer, the degree histogram of layer 0, and the
 * nodes a search cannot reach.
 *
 * @param layers per layer, bottom first
 * @param degreeCounts layer 0: how many nodes have each degree, indexed by degree (0..2M)
 * @param entryNode the node searches start from
 * @param unreachableOnLayer0 nodes not reachable from the entry node over layer-0 links alone. A
 *     search descends the upper layers greedily and then walks layer 0 only, so this is the count
 *     that matters: such nodes are found only if the descent happens to land near them.
 * @param unreachableAnyLayer nodes not reachable from the entry node over the links of all layers
 *     together: nodes no link of any layer leads to (at most the layer-0 count)
 */
record GraphStats(
    List<LayerStats> layers,
    long[] degreeCounts,
    int entryNode,
    int unreachableOnLayer0,
    int unreachableAnyLayer) {

  /**
   * One layer's nodes and out-degrees.
   *
   * @param level 0 for the bottom layer
   */
  record LayerStats(int level, int nodes, int minDegree, double meanDegree, int maxDegree) {}

  /** Reads the whole graph once for degrees, then walks it twice from the entry node. */
  static GraphStats of(OffHeapGraph graph) throws IOException {
    int size = graph.size();
    if (size == 0) {
      return new GraphStats(List.of(), new long[0], -1, 0, 0);
    }
    int[] neighbours = new int[graph.maxConn(0)];
    List<LayerStats> layers = new ArrayList<>();
    long[] degreeCounts = new long[graph.maxConn(0) + 1];
    for (int level = 0; level <= graph.topLevel(); level++) {
      int[] nodes = graph.nodesOnLevel(level);
      int min = Integer.MAX_VALUE;
      int max = 0;
      long sum = 0;
      for (int node : nodes) {
        int degree = graph.neighbors(level, node, neighbours);
        min = Math.min(min, degree);
        max = Math.max(max, degree);
        sum += degree;
        if (level == 0) {
          degreeCounts[degree]++;
        }
      }
      layers.add(new LayerStats(level, nodes.length, min, (double) sum / nodes.length, max));
    }
    int onLayer0 = size - reachable(graph, false).cardinality();
    int anyLayer = size - reachable(graph, true).cardinality();
    return new GraphStats(layers, degreeCounts, graph.entryNode(), onLayer0, anyLayer);
  }

  /** Breadth-first search from the entry node over layer 0's links, or over every layer's. */
  private static FixedBitSet reachable(OffHeapGraph graph, boolean allLayers) throws IOException {
    int[][] upperNodes = new int[graph.topLevel()][];
    for (int level = 1; level <= graph.topLevel(); level++) {
      upperNodes[level - 1] = graph.nodesOnLevel(level);
    }
    FixedBitSet seen = new FixedBitSet(graph.size());
    int[] queue = new int[graph.size()];
    int head = 0;
    int tail = 0;
    int[] neighbours = new int[graph.maxConn(0)];
    queue[tail++] = graph.entryNode();
    seen.set(graph.entryNode());
    while (head < tail) {
      int node = queue[head++];
      int levels = allLayers ? graph.topLevel() : 0;
      for (int level = 0; level <= levels; level++) {
        if (level > 0 && Arrays.binarySearch(upperNodes[level - 1], node) < 0) {
          break; // a node missing from a layer is on no layer above it
        }
        int degree = graph.neighbors(level, node, neighbours);
        for (int i = 0; i < degree; i++) {
          if (seen.getAndSet(neighbours[i]) == false) {
            queue[tail++] = neighbours[i];
          }
        }
      }
    }
    return seen;
  }
}
