package org.hnswcodec.graph;

import java.io.IOException;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;

/**
 * Makes every node of a built graph reachable from the entry node on layer 0. Pruning can leave a
 * few nodes with no path to them (one or two in a few thousand; more when many threads insert into
 * a small graph at once), and no search could ever find them. Each such node gets a link from the
 * nearest node that is reached, found by a search over the reached nodes: one with room for
 * another link if possible. Else the nearest reached node gives up one of its links to make room,
 * and the node takes that link over, so that what it led to stays reachable through the node:
 * a link the node has too if there is one, else the link to the neighbour the most others link to.
 * A node whose scores against the reached nodes all fail to compare (NaN, where similarities
 * overflowed) is linked from the entry node.
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
      SearchResults results = searcher.results();
      // the nearest, and the nearest with room for a link
      int from;
      float fromScore;
      int roomy = -1;
      float roomyScore = 0;
      if (results.size() > 0) {
        from = results.node(0);
        fromScore = results.score(0);
        for (int i = 0; i < results.size() && roomy == -1; i++) {
          if (graph.degree(0, results.node(i)) < maxConn0) {
            roomy = results.node(i);
            roomyScore = results.score(i);
          }
        }
      } else {
        // no reached node has a score against this one that compares (NaN, where a similarity
        // overflowed): the entry node, reached by definition, links to it
        from = graph.entryNode();
        fromScore = scorer.score(from);
        if (graph.degree(0, from) < maxConn0) {
          roomy = from;
          roomyScore = fromScore;
        }
      }
      if (roomy != -1) {
        // the search scored candidates against the node; similarity is symmetric
        graph.addNeighbor(0, roomy, node, roomyScore);
        inDegree[node]++;
      } else {
        handOver(from, fromScore, node, scorer, inDegree);
      }
      count += reach(node, reached, queue);
    }
  }

  /**
   * Links full node {@code from} to {@code node} in place of one of its links, {@code from -> d},
   * and makes sure {@code node -> d} exists, so that {@code d} stays reachable through {@code
   * node}. Lists of reached nodes lose no reachability; {@code node} was not reached, so changing
   * its own list cannot cut off anything that was.
   *
   * @param scorer scores against {@code node}
   */
  private void handOver(
      int from, float fromScore, int node, UpdateableRandomVectorScorer scorer, int[] inDegree)
      throws IOException {
    int degree = graph.degree(0, from);
    int give = -1;
    for (int i = 0; i < degree && give == -1; i++) {
      if (graph.hasNeighbor(0, node, graph.neighbor(0, from, i))) {
        give = i;
      }
    }
    if (give == -1) {
      give = 0;
      for (int i = 1; i < degree; i++) {
        if (inDegree[graph.neighbor(0, from, i)] > inDegree[graph.neighbor(0, from, give)]) {
          give = i;
        }
      }
    }
    int handed = graph.neighbor(0, from, give);
    graph.removeNeighbor(0, from, give);
    inDegree[handed]--;
    // the search scored candidates against the node; similarity is symmetric
    graph.addNeighbor(0, from, node, fromScore);
    inDegree[node]++;
    if (graph.hasNeighbor(0, node, handed) == false) {
      int own = graph.degree(0, node);
      if (own == graph.maxConn(0)) {
        // the farthest of the node's own links makes way
        inDegree[graph.neighbor(0, node, own - 1)]--;
        graph.removeNeighbor(0, node, own - 1);
      }
      graph.addNeighbor(0, node, handed, scorer.score(handed));
      inDegree[handed]++;
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
}
