package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Makes every node of a built graph reachable from the entry node on layer 0. Pruning can leave a
 * few nodes with no path to them (one or two in a few thousand), and no search could ever find
 * them. Each such node gets a link from the nearest node that is reached, found by a search over
 * the reached nodes: one with room for another link if possible, else the nearest, giving up the
 * neighbour that the most other nodes link to.
 */
final class LayerZeroConnector {

  private final OnHeapGraph graph;
  private final RandomVectorScorerSupplier scorers;
  private final int beamWidth;

  LayerZeroConnector(OnHeapGraph graph, RandomVectorScorerSupplier scorers, int beamWidth) {
    this.graph = graph;
    this.scorers = scorers;
    this.beamWidth = beamWidth;
  }

  void connect() throws IOException {
    int size = graph.size();
    if (size == 0) {
      return;
    }
    FixedBitSet reached = new FixedBitSet(size);
    int[] queue = new int[size];
    int count = reach(graph.entryNode(), reached, queue);
    if (count == size) {
      return;
    }
    int[] inDegree = inDegrees();
    int maxConn0 = graph.maxConn(0);
    UpdateableRandomVectorScorer scorer = scorers.scorer();
    BeamSearcher searcher = new BeamSearcher(VisitedSet.forBuild(size), maxConn0, beamWidth);
    int[] entry = new int[1];
    for (int node = 0; node < size && count < size; node++) {
      if (reached.get(node)) {
        continue;
      }
      scorer.setScoringOrdinal(node);
      entry[0] = graph.entryNode();
      searcher.searchLevel(graph, scorer, 0, entry, 1, beamWidth, reached, SearchLimits.NONE);
      NodeQueue results = searcher.results();
      // the results pop worst first: keep the nearest, and the nearest with room for a link
      int from = -1;
      float fromScore = 0;
      int roomy = -1;
      float roomyScore = 0;
      while (results.size() > 0) {
        float score = results.topScore();
        int candidate = results.pop();
        from = candidate;
        fromScore = score;
        if (graph.degree(0, candidate) < maxConn0) {
          roomy = candidate;
          roomyScore = score;
        }
      }
      if (roomy != -1) {
        from = roomy;
        fromScore = roomyScore;
      } else {
        dropMostLinkedNeighbor(from, inDegree);
      }
      // the search scored candidates against the node; similarity is symmetric
      graph.addNeighbor(0, from, node, fromScore);
      inDegree[node]++;
      count += reach(node, reached, queue);
    }
  }

  /** Marks what is reachable from {@code start} on layer 0 and not marked yet; returns how many. */
  private int reach(int start, FixedBitSet reached, int[] queue) {
    int head = 0;
    int tail = 0;
    reached.set(start);
    queue[tail++] = start;
    while (head < tail) {
      int node = queue[head++];
      int degree = graph.degree(0, node);
      for (int i = 0; i < degree; i++) {
        int neighbor = graph.neighbor(0, node, i);
        if (reached.getAndSet(neighbor) == false) {
          queue[tail++] = neighbor;
        }
      }
    }
    return tail;
  }

  private int[] inDegrees() {
    int[] inDegree = new int[graph.size()];
    for (int node = 0; node < graph.size(); node++) {
      for (int i = 0; i < graph.degree(0, node); i++) {
        inDegree[graph.neighbor(0, node, i)]++;
      }
    }
    return inDegree;
  }

  /** Removes from {@code node}'s layer-0 list the neighbour with the most other in-links. */
  private void dropMostLinkedNeighbor(int node, int[] inDegree) {
    int degree = graph.degree(0, node);
    int drop = 0;
    for (int i = 1; i < degree; i++) {
      if (inDegree[graph.neighbor(0, node, i)] > inDegree[graph.neighbor(0, node, drop)]) {
        drop = i;
      }
    }
    int[] keptNodes = new int[degree - 1];
    float[] keptScores = new float[degree - 1];
    int kept = 0;
    for (int i = 0; i < degree; i++) {
      if (i != drop) {
        keptNodes[kept] = graph.neighbor(0, node, i);
        keptScores[kept] = graph.neighborScore(0, node, i);
        kept++;
      }
    }
    inDegree[graph.neighbor(0, node, drop)]--;
    graph.setNeighbors(0, node, keptNodes, keptScores, kept);
  }
}
