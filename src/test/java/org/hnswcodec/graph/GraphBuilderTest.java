package org.hnswcodec.graph;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.hnswcodec.testutil.ExactNeighbors;
import org.hnswcodec.testutil.VectorSet;

/** Structure, determinism and recall of built graphs, on generated clustered data. */
public class GraphBuilderTest extends LuceneTestCase {

  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  private static OnHeapGraph build(float[][] vectors, int maxConn, int beamWidth, long seed)
      throws IOException {
    return new GraphBuilder(
            GraphTestSupport.scorers(vectors, L2), vectors.length, maxConn, beamWidth, seed)
        .build(() -> {});
  }

  public void testDegreesLinksAndEntryNode() throws IOException {
    int maxConn = random().nextInt(4, 17);
    float[][] vectors = VectorSet.clustered(random(), 3000, 16, 10);
    OnHeapGraph graph = build(vectors, maxConn, 50, random().nextLong());

    int top = -1;
    for (int node = 0; node < graph.size(); node++) {
      top = Math.max(top, graph.levelOf(node));
    }
    assertEquals(top, graph.topLevel());
    assertEquals(top, graph.levelOf(graph.entryNode()));

    int[] neighbors = new int[2 * maxConn];
    for (int level = 0; level <= top; level++) {
      int limit = level == 0 ? 2 * maxConn : maxConn;
      assertEquals(limit, graph.maxConn(level));
      for (int node : graph.nodesOnLevel(level)) {
        int degree = graph.neighbors(level, node, neighbors);
        assertTrue("degree " + degree + " above " + limit, degree <= limit);
        assertTrue("node " + node + " has no links on level " + level, degree > 0 || graph.countOnLevel(level) == 1);
        int[] sorted = Arrays.copyOf(neighbors, degree);
        Arrays.sort(sorted);
        for (int i = 0; i < degree; i++) {
          assertNotEquals("self link", node, sorted[i]);
          assertTrue("linked node not on the level", graph.levelOf(sorted[i]) >= level);
          assertTrue("duplicate link", i == 0 || sorted[i] != sorted[i - 1]);
        }
      }
    }
  }

  public void testSameSeedSameGraph() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 1000, 8, 5);
    long seed = random().nextLong();
    OnHeapGraph a = build(vectors, 8, 40, seed);
    OnHeapGraph b = build(vectors, 8, 40, seed);
    assertEquals(a.entryNode(), b.entryNode());
    assertEquals(a.topLevel(), b.topLevel());
    int[] na = new int[16];
    int[] nb = new int[16];
    for (int level = 0; level <= a.topLevel(); level++) {
      for (int node : a.nodesOnLevel(level)) {
        int da = a.neighbors(level, node, na);
        int db = b.neighbors(level, node, nb);
        assertArrayEquals(Arrays.copyOf(na, da), Arrays.copyOf(nb, db));
      }
    }
  }

  /** A copied graph keeps every layer and link, renumbered; copying it again is refused. */
  public void testCopyFromRenumbersLayersAndLinks() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 800, 8, 5);
    OnHeapGraph source = build(vectors, 6, 30, random().nextLong());
    int[] sourceToNode = shuffled(vectors.length);
    float[][] renumbered = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      renumbered[sourceToNode[i]] = vectors[i];
    }
    GraphBuilder builder =
        new GraphBuilder(GraphTestSupport.scorers(renumbered, L2), vectors.length, 6, 30, 1);
    builder.copyFrom(source, sourceToNode);
    // every node is covered, so build() inserts nothing
    OnHeapGraph copy = builder.build(() -> {});
    assertEquals(sourceToNode[source.entryNode()], copy.entryNode());
    assertEquals(source.topLevel(), copy.topLevel());
    int[] expected = new int[12];
    int[] actual = new int[12];
    for (int node = 0; node < vectors.length; node++) {
      assertEquals(source.levelOf(node), copy.levelOf(sourceToNode[node]));
      for (int level = 0; level <= source.levelOf(node); level++) {
        int degree = source.neighbors(level, node, expected);
        for (int i = 0; i < degree; i++) {
          expected[i] = sourceToNode[expected[i]];
        }
        assertEquals(degree, copy.neighbors(level, sourceToNode[node], actual));
        assertArrayEquals(Arrays.copyOf(expected, degree), Arrays.copyOf(actual, degree));
      }
    }
    expectThrows(IllegalStateException.class, () -> builder.copyFrom(source, sourceToNode));
  }

  private static int[] shuffled(int size) {
    java.util.List<Integer> order = new java.util.ArrayList<>();
    for (int i = 0; i < size; i++) {
      order.add(i);
    }
    java.util.Collections.shuffle(order, random());
    return order.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A build stops at the next check once its abort check throws (a merge being aborted). */
  public void testBuildStopsWhenAborted() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 5000, 4, 3);
    GraphBuilder builder =
        new GraphBuilder(GraphTestSupport.scorers(vectors, L2), vectors.length, 4, 20, 1);
    int[] checks = new int[1];
    IOException e =
        expectThrows(
            IOException.class,
            () ->
                builder.build(
                    () -> {
                      if (++checks[0] == 2) {
                        throw new IOException("merge aborted");
                      }
                    }));
    assertEquals("merge aborted", e.getMessage());
    assertEquals(2, checks[0]);
  }

  /** Every node can be reached from the entry node through layer 0, or searches could miss it. */
  public void testLayerZeroIsConnected() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 4000, 12, 20);
    OnHeapGraph graph = build(vectors, 8, 60, random().nextLong());
    FixedBitSet reached = new FixedBitSet(graph.size());
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(graph.entryNode());
    reached.set(graph.entryNode());
    int[] neighbors = new int[16];
    while (queue.isEmpty() == false) {
      int node = queue.poll();
      int degree = graph.neighbors(0, node, neighbors);
      for (int i = 0; i < degree; i++) {
        if (reached.getAndSet(neighbors[i]) == false) {
          queue.add(neighbors[i]);
        }
      }
    }
    assertEquals(graph.size(), reached.cardinality());
  }

  /** Layered search over the built graph finds the exact neighbours of most queries. */
  public void testRecallAgainstBruteForce() throws IOException {
    Random random = random();
    // the last 50 points are the queries: same distribution, not in the graph
    float[][] all = VectorSet.clustered(random, 5050, 16, 25);
    float[][] vectors = Arrays.copyOf(all, 5000);
    OnHeapGraph graph = build(vectors, 16, 100, random.nextLong());
    int k = 10;
    int ef = 40;
    double recall = 0;
    int queries = 50;
    for (int q = 0; q < queries; q++) {
      float[] query = all[5000 + q];
      RandomVectorScorer scorer = GraphTestSupport.queryScorer(vectors, query, L2);
      BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 32), 32, ef);
      int entry = searcher.descend(graph, scorer, 0, SearchLimits.NONE);
      searcher.searchLevel(graph, scorer, 0, new int[] {entry}, 1, ef, null, SearchLimits.NONE);
      int[] found = topNodes(searcher.results(), k);
      recall += ExactNeighbors.recall(found, ExactNeighbors.topK(vectors, query, k, L2), k);
    }
    recall /= queries;
    // measured 0.998 to 1.0 over seeds
    assertTrue("recall@10 at ef=40: " + recall, recall >= 0.98);
  }

  static int[] topNodes(NodeQueue results, int k) {
    while (results.size() > k) {
      results.pop();
    }
    int[] nodes = new int[results.size()];
    for (int i = nodes.length - 1; i >= 0; i--) {
      nodes[i] = results.pop();
    }
    return nodes;
  }
}
