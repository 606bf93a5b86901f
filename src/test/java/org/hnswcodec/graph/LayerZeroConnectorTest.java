package org.hnswcodec.graph;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.apache.lucene.util.hnsw.UpdateableRandomVectorScorer;
import org.hnswcodec.testutil.VectorSet;

/**
 * The connectivity pass on arbitrary graphs: random short lists leave many nodes without a path
 * from the entry node and most lists full, so links must be handed over without cutting off
 * anything that was reached.
 */
public class LayerZeroConnectorTest extends LuceneTestCase {

  public void testEveryNodeEndsUpReachable() throws IOException {
    Random random = random();
    for (int round = 0; round < 40; round++) {
      int size = random.nextInt(2, 200);
      int maxConn = random.nextInt(1, 4);
      float[][] vectors = VectorSet.clustered(random, size, 3, 4);
      RandomVectorScorerSupplier scorers =
          GraphTestSupport.scorers(vectors, VectorSimilarityFunction.EUCLIDEAN);
      OnHeapGraph graph = randomGraph(random, size, maxConn, scorers);
      new LayerZeroConnector(graph, scorers, random.nextInt(1, 30)).connect();
      assertReachableAndBounded(graph);
    }
  }

  /**
   * Scores that are all NaN (inner products of vectors whose products overflow, +Inf and -Inf
   * summed) rank no node against another: a search for a node's nearest finds none, and the entry
   * node takes the links. The pass once failed here on an empty result list.
   */
  public void testNodesWithoutComparableScoresEndUpReachable() throws IOException {
    Random random = random();
    int size = random.nextInt(2, 120);
    RandomVectorScorerSupplier scorers = GraphTestSupport.nanScorers(size);
    OnHeapGraph graph = new OnHeapGraph(size, random.nextInt(1, 4));
    for (int node = 0; node < size; node++) {
      graph.addNode(node, 0);
    }
    graph.setEntryNode(random.nextInt(size), 0);
    new LayerZeroConnector(graph, scorers, random.nextInt(1, 30)).connect();
    assertReachableAndBounded(graph);
  }

  /** Every node on layer 0 only, each with a random list that is mostly full. */
  private static OnHeapGraph randomGraph(
      Random random, int size, int maxConn, RandomVectorScorerSupplier scorers)
      throws IOException {
    OnHeapGraph graph = new OnHeapGraph(size, maxConn);
    UpdateableRandomVectorScorer scorer = scorers.scorer();
    int maxConn0 = graph.maxConn(0);
    for (int node = 0; node < size; node++) {
      graph.addNode(node, 0);
    }
    for (int node = 0; node < size; node++) {
      int[] links =
          random.ints(0, size).distinct().limit(size).toArray();
      int count = 0;
      int[] nodes = new int[maxConn0];
      float[] scores = new float[maxConn0];
      int want = Math.min(size - 1, random.nextInt(maxConn0 + 1));
      scorer.setScoringOrdinal(node);
      for (int i = 0; i < links.length && count < want; i++) {
        if (links[i] != node) {
          nodes[count] = links[i];
          scores[count] = scorer.score(links[i]);
          count++;
        }
      }
      sortNearestFirst(nodes, scores, count);
      graph.setNeighbors(0, node, nodes, scores, count);
    }
    graph.setEntryNode(random.nextInt(size), 0);
    return graph;
  }

  private static void sortNearestFirst(int[] nodes, float[] scores, int count) {
    Integer[] order = new Integer[count];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
    int[] sortedNodes = new int[count];
    float[] sortedScores = new float[count];
    for (int i = 0; i < count; i++) {
      sortedNodes[i] = nodes[order[i]];
      sortedScores[i] = scores[order[i]];
    }
    System.arraycopy(sortedNodes, 0, nodes, 0, count);
    System.arraycopy(sortedScores, 0, scores, 0, count);
  }

  private static void assertReachableAndBounded(OnHeapGraph graph) {
    int[] neighbors = new int[graph.maxConn(0)];
    for (int node = 0; node < graph.size(); node++) {
      int degree = graph.neighbors(0, node, neighbors);
      assertTrue("degree " + degree, degree <= graph.maxConn(0));
      int[] sorted = Arrays.copyOf(neighbors, degree);
      Arrays.sort(sorted);
      for (int i = 0; i < degree; i++) {
        assertNotEquals("self link", node, sorted[i]);
        assertTrue("duplicate link", i == 0 || sorted[i] != sorted[i - 1]);
      }
    }
    GraphTestSupport.assertLayerZeroConnected(graph);
  }
}
