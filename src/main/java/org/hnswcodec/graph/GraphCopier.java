package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Starts a graph as a copy of an already built graph over some of its nodes (a merging segment's),
 * see {@link GraphBuilder#copyFrom}.
 */
final class GraphCopier {

  /**
   * A copied node that lost more than one in this many of its links on a layer (to deleted
   * documents) is linked again by a search ({@link NodeInserter#relink}): lists refilled from
   * two-hop neighbours alone came out sparser than a fresh build's and lost the links between
   * regions, and recall with them.
   */
  static final int RELINK_LOSS = 8;

  private final OnHeapGraph graph;
  private final UpdateableRandomVectorScorer scorer;
  private final DiversityHeuristic heuristic;
  private final FixedBitSet toRelink;

  GraphCopier(OnHeapGraph graph, RandomVectorScorerSupplier scorers, boolean newcomerPairsOnly)
      throws IOException {
    this.graph = graph;
    this.scorer = scorers.scorer();
    this.heuristic = new DiversityHeuristic(scorers, newcomerPairsOnly);
    this.toRelink = new FixedBitSet(graph.size());
  }

  /** The copied nodes that lost more than one in {@value #RELINK_LOSS} links on some layer. */
  FixedBitSet toRelink() {
    return toRelink;
  }

  void copy(LayeredGraph source, int[] sourceToNode) throws IOException {
    if (graph.entryNode() != -1) {
      throw new IllegalStateException("the graph already has nodes");
    }
    if (source.maxConn(0) != graph.maxConn(0) || source.maxConn(1) != graph.maxConn(1)) {
      throw new IllegalArgumentException("the source graph was built with another M");
    }
    SourceLinks links = new SourceLinks(source, sourceToNode);
    int entryNode = -1;
    int entryLevel = -1;
    for (int level = source.topLevel(); level >= 0; level--) {
      for (int sourceNode : source.nodesOnLevel(level)) {
        int node = sourceToNode[sourceNode];
        if (node >= 0 && graph.levelOf(node) == -1 && links.hasLinksOnLayerZero(sourceNode)) {
          graph.addNode(node, level);
          if (entryNode == -1 || sourceNode == source.entryNode()) {
            entryNode = node;
            entryLevel = level;
          }
        }
      }
    }
    if (entryNode == -1) {
      return;
    }
    int[] nodes = new int[links.maxLinks()];
    float[] scores = new float[nodes.length];
    for (int level = source.topLevel(); level >= 0; level--) {
      for (int sourceNode : source.nodesOnLevel(level)) {
        int node = sourceToNode[sourceNode];
        if (node >= 0 && graph.levelOf(node) >= level) {
          copyLinks(links, level, sourceNode, node, nodes, scores);
        }
      }
    }
    graph.setEntryNode(entryNode, entryLevel);
  }

  private void copyLinks(
      SourceLinks links, int level, int sourceNode, int node, int[] nodes, float[] scores)
      throws IOException {
    int count = links.links(level, sourceNode, nodes);
    int ownCount = links.keptCount();
    if ((links.sourceDegree() - ownCount) * RELINK_LOSS > links.sourceDegree()) {
      toRelink.set(node);
    }
    // keep only links to nodes in the graph (not deleted, not left to be inserted afresh)
    int own = 0;
    int live = 0;
    for (int i = 0; i < count; i++) {
      if (graph.levelOf(nodes[i]) >= level) {
        nodes[live++] = nodes[i];
        if (i < ownCount) {
          own++;
        }
      }
    }
    scorer.setScoringOrdinal(node);
    scorer.bulkScore(nodes, scores, live);
    if (live > own) {
      // repair: the node keeps its own links; two-hop candidates, nearest first, fill the slots
      // of the dropped ones where the diversity rule admits them
      sortNearestFirst(nodes, scores, own, live);
      live = heuristic.extend(nodes, scores, own, live, graph.maxConn(level));
    }
    sortNearestFirst(nodes, scores, 0, live);
    graph.setNeighbors(level, node, nodes, scores, live);
  }

  /** Insertion sort of {@code [from, to)} by decreasing score: the lists are short. */
  static void sortNearestFirst(int[] nodes, float[] scores, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      float score = scores[i];
      int node = nodes[i];
      int j = i;
      while (j > from && scores[j - 1] < score) {
        scores[j] = scores[j - 1];
        nodes[j] = nodes[j - 1];
        j--;
      }
      scores[j] = score;
      nodes[j] = node;
    }
  }
}
