package org.hnswcodec.graph;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TaskExecutor;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.testutil.VectorSet;

/** Structure, determinism and recall of built graphs, on generated clustered data. */
public class GraphBuilderTest extends LuceneTestCase {

  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  private static OnHeapGraph build(float[][] vectors, int maxConn, int beamWidth, long seed)
      throws IOException {
    return new GraphBuilder(
            GraphTestSupport.scorers(vectors, L2), L2, vectors.length, maxConn, beamWidth, seed)
        .build(() -> {});
  }

  public void testDegreesLinksAndEntryNode() throws IOException {
    int maxConn = random().nextInt(4, 17);
    float[][] vectors = VectorSet.clustered(random(), 3000, 16, 10);
    assertWellFormed(build(vectors, maxConn, 50, random().nextLong()), maxConn);
  }

  /**
   * Degrees within bounds, no self or duplicate links, links only to nodes on the level, every
   * node linked, and the entry node on the top level.
   */
  private static void assertWellFormed(OnHeapGraph graph, int maxConn) {
    int top = -1;
    for (int node = 0; node < graph.size(); node++) {
      assertTrue("node " + node + " missing", graph.levelOf(node) >= 0);
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
        new GraphBuilder(GraphTestSupport.scorers(renumbered, L2), L2, vectors.length, 6, 30, 1);
    builder.copyFrom(source, sourceToNode, 18);
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
    expectThrows(IllegalStateException.class, () -> builder.copyFrom(source, sourceToNode, 18));
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
        new GraphBuilder(GraphTestSupport.scorers(vectors, L2), L2, vectors.length, 4, 20, 1);
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
    GraphTestSupport.assertLayerZeroConnected(build(vectors, 8, 60, random().nextLong()));
  }

  /**
   * A build whose scores are all NaN (inner products overflowing to +Inf and -Inf, as vectors
   * from another format's segments may give at a merge) completes, with every node reachable.
   */
  public void testBuildCompletesWhenNoScoresCompare() throws IOException {
    int size = random().nextInt(100, 1500);
    OnHeapGraph graph =
        new GraphBuilder(GraphTestSupport.nanScorers(size), L2, size, 16, 100, random().nextLong())
            .build(() -> {});
    assertEquals(size, graph.size());
    GraphTestSupport.assertLayerZeroConnected(graph);
  }

  /** Layered search over the built graph finds the exact neighbours of most queries. */
  public void testRecallAgainstBruteForce() throws IOException {
    Random random = random();
    // the last 50 points are the queries: same distribution, not in the graph
    float[][] all = VectorSet.clustered(random, 5050, 16, 25);
    float[][] vectors = Arrays.copyOf(all, 5000);
    OnHeapGraph graph = build(vectors, 16, 100, random.nextLong());
    double recall = recallAtTen(graph, vectors, Arrays.copyOfRange(all, 5000, 5050));
    // measured 0.998 to 1.0 over seeds
    assertTrue("recall@10 at ef=40: " + recall, recall >= 0.98);
  }

  /**
   * Two thirds of the vectors are copies of one (as when many documents get the same default
   * embedding), the rest uniformly random. A copy is exactly as near to any node as the copy next
   * to it is, so a rule that let such ties through filled the copies' lists with copies, and a
   * search that met them stayed among them: queries among the distinct vectors found 0.02–0.91
   * of their nearest ten at ef=16 (six seeds).
   */
  public void testManyCopiesOfOneVector() throws IOException {
    Random random = random();
    float[] common = randomVector(random, 16);
    float[][] vectors = new float[3000][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = i % 3 == 0 ? randomVector(random, 16) : common.clone();
    }
    OnHeapGraph graph = build(vectors, 16, 100, random.nextLong());
    assertWellFormed(graph, 16);
    GraphTestSupport.assertLayerZeroConnected(graph);
    int k = 10;
    int ef = 16;
    int queries = 50;
    int found = 0;
    BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 32), 32, ef);
    for (int q = 0; q < queries; q++) {
      float[] query = vectors[3 * random.nextInt(vectors.length / 3)].clone();
      for (int d = 0; d < query.length; d++) {
        query[d] += (float) (random.nextGaussian() * 0.01);
      }
      // among tied copies any will do: a hit counts if it scores as high as the k-th best
      float[] exact = new float[vectors.length];
      for (int i = 0; i < vectors.length; i++) {
        exact[i] = L2.compare(query, vectors[i]);
      }
      float[] sorted = exact.clone();
      Arrays.sort(sorted);
      float kth = sorted[sorted.length - k];
      RandomVectorScorer scorer = GraphTestSupport.queryScorer(vectors, query, L2);
      searcher.descend(graph, scorer, 0, SearchLimits.NONE);
      searcher.searchFromDescent(graph, scorer, 0, ef, null, SearchLimits.NONE);
      for (int node : topNodes(searcher.results(), k)) {
        found += exact[node] >= kth ? 1 : 0;
      }
    }
    double recall = found / (double) (queries * k);
    // measured 0.986 to 1.0 over ten seeds
    assertTrue("recall@10 at ef=16 among many copies: " + recall, recall >= 0.95);
  }

  /**
   * Binary vectors with four ones in forty dimensions are often at equal distances from one
   * another, three at a time, without being copies: their links stay, as any vectors' do, and the
   * lists fill up. Covering such ties as copies are covered left a mean layer-0 degree of 20.
   */
  public void testEquidistantVectorsKeepTheirLinks() throws IOException {
    Random random = random();
    float[][] vectors = new float[3000][40];
    for (float[] vector : vectors) {
      for (int ones = 0; ones < 4; ) {
        int dimension = random.nextInt(vector.length);
        if (vector[dimension] == 0) {
          vector[dimension] = 1;
          ones++;
        }
      }
    }
    OnHeapGraph graph = build(vectors, 16, 100, random.nextLong());
    long links = 0;
    int[] neighbors = new int[graph.maxConn(0)];
    for (int node = 0; node < graph.size(); node++) {
      links += graph.neighbors(0, node, neighbors);
    }
    double meanDegree = links / (double) graph.size();
    // measured 32.0 over seeds
    assertTrue("mean layer-0 degree " + meanDegree, meanDegree >= 30);
  }

  private static float[] randomVector(Random random, int dimension) {
    float[] vector = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      vector[i] = random.nextFloat();
    }
    return vector;
  }

  /**
   * Merging as a merge does: one half's graph copied, the other half's nodes inserted near their
   * old neighbours with a beam of 3M (some of them land above layer 0). The result is as sound as
   * a fresh build and finds as much.
   */
  public void testInsertNearGivesASoundGraphWithFreshRecall() throws IOException {
    Random random = random();
    float[][] all = VectorSet.clustered(random, 5050, 16, 25);
    float[][] vectors = Arrays.copyOf(all, 5000);
    float[][] queries = Arrays.copyOfRange(all, 5000, 5050);
    int half = 2500;
    OnHeapGraph first = build(Arrays.copyOf(vectors, half), 16, 100, random.nextLong());
    OnHeapGraph second =
        build(Arrays.copyOfRange(vectors, half, vectors.length), 16, 100, random.nextLong());

    GraphBuilder builder =
        new GraphBuilder(
            GraphTestSupport.scorers(vectors, L2), L2, vectors.length, 16, 100, random.nextLong());
    int[] identity = new int[half];
    Arrays.setAll(identity, i -> i);
    builder.copyFrom(first, identity, 48);
    int[] nodes = new int[half];
    int[] seedStart = new int[half + 1];
    int[] seeds = new int[half * second.maxConn(0)];
    int[] neighbors = new int[second.maxConn(0)];
    for (int i = 0; i < half; i++) {
      nodes[i] = half + i;
      int degree = second.neighbors(0, i, neighbors);
      for (int j = 0; j < degree; j++) {
        seeds[seedStart[i] + j] = half + neighbors[j];
      }
      seedStart[i + 1] = seedStart[i] + degree;
    }
    builder.insertNear(nodes, seedStart, seeds, half, 48, () -> {});
    OnHeapGraph merged = builder.build(() -> {});

    assertWellFormed(merged, 16);
    GraphTestSupport.assertLayerZeroConnected(merged);
    int above = 0;
    for (int node = half; node < vectors.length; node++) {
      above += merged.levelOf(node) > 0 ? 1 : 0;
    }
    assertTrue("inserted nodes above layer 0: " + above, above > 0);
    double recall = recallAtTen(merged, vectors, queries);
    double fresh = recallAtTen(build(vectors, 16, 100, random.nextLong()), vectors, queries);
    assertTrue("recall@10 at ef=40: " + recall + ", fresh " + fresh, recall >= fresh - 0.01);
  }

  /**
   * Several workers inserting at once build a graph as sound and as good as one thread does:
   * lists within bounds and free of duplicates, everything reachable, the same recall.
   */
  public void testConcurrentBuild() throws Exception {
    Random random = random();
    float[][] all = VectorSet.clustered(random, 6050, 16, 25);
    float[][] vectors = Arrays.copyOf(all, 6000);
    int workers = random.nextInt(2, 5);
    ExecutorService pool = Executors.newFixedThreadPool(workers - 1);
    try {
      OnHeapGraph graph =
          new GraphBuilder(
                  GraphTestSupport.scorers(vectors, L2),
                  L2,
                  vectors.length,
                  16,
                  100,
                  random.nextLong(),
                  new TaskExecutor(pool),
                  workers)
              .build(() -> {});
      assertWellFormed(graph, 16);
      GraphTestSupport.assertLayerZeroConnected(graph);
      double recall = recallAtTen(graph, vectors, Arrays.copyOfRange(all, 6000, 6050));
      assertTrue("recall@10 at ef=40 with " + workers + " workers: " + recall, recall >= 0.98);
    } finally {
      shutDown(pool);
    }
  }

  /**
   * Small graphs with short lists, on one thread or on more workers than cores (which take over
   * once 512 nodes are in, so that many insertions meet another): pruning leaves nodes unreached
   * and lists full, and the graph must still come out sound and connected.
   */
  public void testSmallGraphsComeOutConnected() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(7);
    try {
      for (int round = 0; round < 20; round++) {
        int size = random().nextInt(1, 1500);
        int maxConn = random().nextInt(2, 8);
        float[][] vectors = VectorSet.clustered(random(), size, 4, 3);
        OnHeapGraph graph =
            new GraphBuilder(
                    GraphTestSupport.scorers(vectors, L2),
                    L2,
                    size,
                    maxConn,
                    random().nextInt(1, 40),
                    random().nextLong(),
                    new TaskExecutor(pool),
                    round % 2 == 0 ? 1 : 8)
                .build(() -> {});
        assertWellFormed(graph, maxConn);
        GraphTestSupport.assertLayerZeroConnected(graph);
      }
    } finally {
      shutDown(pool);
    }
  }

  /** Each worker checks for abort; the first failure stops the build and is what it throws. */
  public void testConcurrentBuildStopsWhenAborted() throws Exception {
    float[][] vectors = VectorSet.clustered(random(), 8000, 4, 3);
    ExecutorService pool = Executors.newFixedThreadPool(1);
    try {
      GraphBuilder builder =
          new GraphBuilder(
              GraphTestSupport.scorers(vectors, L2), L2, vectors.length, 4, 20, 1, new TaskExecutor(pool), 2);
      AtomicInteger checks = new AtomicInteger();
      IOException e =
          expectThrows(
              IOException.class,
              () ->
                  builder.build(
                      () -> {
                        if (checks.incrementAndGet() >= 3) {
                          throw new IOException("merge aborted");
                        }
                      }));
      assertEquals("merge aborted", e.getMessage());
      // both workers stop at their next check: at most one more each
      assertTrue("checks: " + checks.get(), checks.get() <= 4);
    } finally {
      shutDown(pool);
    }
  }

  /**
   * A copied graph with a quarter of its nodes deleted (a merging segment's, just under the share
   * above which a merge rebuilds instead) finds as much as a graph built afresh on the live
   * vectors, within 0.005 at ef=10: the nodes that lost links are linked again by a search.
   * Averaged over three data sets, since one pair of graphs differs by chance alone (over 40
   * seeds a single pair gave -0.0055 to +0.0145, mean +0.005; the average of three, +0.0003 to
   * +0.0087 over 30); refilling the lists from two-hop neighbours alone found 0.007–0.015 less.
   */
  public void testCopyWithDeletionsFindsWhatAFreshBuildFinds() throws IOException {
    Random random = random();
    double copiedRecall = 0;
    double freshRecall = 0;
    int rounds = 3;
    for (int round = 0; round < rounds; round++) {
      float[][] all = VectorSet.clustered(random, 6200, 32, 50);
      float[][] vectors = Arrays.copyOf(all, 6000);
      float[][] queries = Arrays.copyOfRange(all, 6000, all.length);
      OnHeapGraph source = build(vectors, 16, 100, random.nextLong());
      int[] sourceToNode = new int[vectors.length];
      float[][] live = deleteAtRandom(random, vectors, 24, sourceToNode);
      long seed = random.nextLong();
      GraphBuilder builder =
          new GraphBuilder(GraphTestSupport.scorers(live, L2), L2, live.length, 16, 100, seed);
      builder.copyFrom(source, sourceToNode, 48);
      OnHeapGraph copied = builder.build(() -> {});
      assertWellFormed(copied, 16);
      OnHeapGraph fresh = build(live, 16, 100, seed);
      copiedRecall += recallAt(copied, live, queries, 10) / rounds;
      freshRecall += recallAt(fresh, live, queries, 10) / rounds;
    }
    assertTrue(
        "copied " + copiedRecall + " fresh " + freshRecall, copiedRecall >= freshRecall - 0.005);
  }

  /**
   * Links again, on three workers, the nodes of a copy with a fifth of its nodes deleted: sound
   * lists (bounds, no self or duplicate links, links only on the nodes' layers) and every node
   * reachable.
   */
  public void testConcurrentRelinkingGivesASoundGraph() throws Exception {
    Random random = random();
    float[][] vectors = VectorSet.clustered(random, 3000, 16, 20);
    OnHeapGraph source = build(vectors, 16, 100, random.nextLong());
    int[] sourceToNode = new int[vectors.length];
    float[][] live = deleteAtRandom(random, vectors, 20, sourceToNode);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      GraphBuilder builder =
          new GraphBuilder(
              GraphTestSupport.scorers(live, L2), L2, live.length, 16, 100, random.nextLong(),
              new TaskExecutor(pool), 3);
      builder.copyFrom(source, sourceToNode, 48);
      OnHeapGraph graph = builder.build(() -> {});
      assertWellFormed(graph, 16);
      GraphTestSupport.assertLayerZeroConnected(graph);
    } finally {
      shutDown(pool);
    }
  }

  /** A merge's beams may be narrower than efConstruction, not wider. */
  public void testBeamsWiderThanEfConstructionAreRejected() throws IOException {
    float[][] vectors = VectorSet.clustered(random(), 200, 4, 3);
    OnHeapGraph source = build(vectors, 8, 30, 1);
    int[] identity = new int[vectors.length];
    Arrays.setAll(identity, i -> i);
    GraphBuilder builder =
        new GraphBuilder(GraphTestSupport.scorers(vectors, L2), L2, vectors.length, 8, 30, 1);
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> builder.copyFrom(source, identity, 31));
    assertEquals("relinkBeam must be >= 1 and <= efConstruction (30); got 31", e.getMessage());
    e =
        expectThrows(
            IllegalArgumentException.class,
            () -> builder.insertNear(new int[0], new int[1], new int[0], 0, 0, () -> {}));
    assertEquals("beam must be >= 1 and <= efConstruction (30); got 0", e.getMessage());
  }

  /**
   * Under inner products of vectors of widely varying norms, lists pruned by judging only the
   * newcomer's pairs find more than lists whose old pairs are judged again (the rule for
   * distances, here given the same scorers), as Lucene's format does: at ef=10, 0.011–0.032 more
   * over ten seeds of this test (3,000 vectors, 200 queries).
   */
  public void testInnerProductGraphsKeepTheLinksLongVectorsCover() throws IOException {
    Random random = random();
    int dimension = 64;
    float[][] all = new float[3200][dimension];
    for (float[] vector : all) {
      for (int d = 0; d < dimension; d++) {
        vector[d] = (float) random.nextGaussian();
      }
      VectorUtil.l2normalize(vector);
      float norm = (float) Math.exp(random.nextGaussian());
      for (int d = 0; d < dimension; d++) {
        vector[d] *= norm;
      }
    }
    float[][] vectors = Arrays.copyOf(all, 3000);
    float[][] queries = Arrays.copyOfRange(all, 3000, all.length);
    VectorSimilarityFunction mip = VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT;
    long seed = random.nextLong();
    OnHeapGraph newcomerPairs =
        new GraphBuilder(GraphTestSupport.scorers(vectors, mip), mip, vectors.length, 16, 100, seed)
            .build(() -> {});
    OnHeapGraph allPairs =
        new GraphBuilder(
                GraphTestSupport.scorers(vectors, mip),
                VectorSimilarityFunction.DOT_PRODUCT,
                vectors.length,
                16,
                100,
                seed)
            .build(() -> {});
    double newcomerRecall = recallAt(newcomerPairs, vectors, queries, 10, mip);
    double allPairsRecall = recallAt(allPairs, vectors, queries, 10, mip);
    assertTrue(
        "newcomer pairs " + newcomerRecall + ", all pairs " + allPairsRecall,
        newcomerRecall >= allPairsRecall + 0.005);
  }

  /**
   * Deletes each vector with a chance of {@code percent} in 100: fills {@code sourceToNode} with
   * each vector's ordinal among the live ones, or -1 if deleted, and returns the live vectors.
   */
  private static float[][] deleteAtRandom(
      Random random, float[][] vectors, int percent, int[] sourceToNode) {
    float[][] live = new float[vectors.length][];
    int count = 0;
    for (int i = 0; i < vectors.length; i++) {
      if (random.nextInt(100) < percent) {
        sourceToNode[i] = -1;
      } else {
        live[count] = vectors[i];
        sourceToNode[i] = count++;
      }
    }
    return Arrays.copyOf(live, count);
  }

  private static void shutDown(ExecutorService pool) throws InterruptedException {
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /** Mean recall@10 at ef=40 of a layered search for each query, against brute force. */
  private static double recallAtTen(OnHeapGraph graph, float[][] vectors, float[][] queries)
      throws IOException {
    return recallAt(graph, vectors, queries, 40);
  }

  /** Mean recall@10 at {@code ef} of a layered search for each query, against brute force. */
  private static double recallAt(OnHeapGraph graph, float[][] vectors, float[][] queries, int ef)
      throws IOException {
    return recallAt(graph, vectors, queries, ef, L2);
  }

  private static double recallAt(
      OnHeapGraph graph,
      float[][] vectors,
      float[][] queries,
      int ef,
      VectorSimilarityFunction similarity)
      throws IOException {
    int k = 10;
    double recall = 0;
    for (float[] query : queries) {
      RandomVectorScorer scorer = GraphTestSupport.queryScorer(vectors, query, similarity);
      BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 32), 32, ef);
      int entry = searcher.descend(graph, scorer, 0, SearchLimits.NONE);
      searcher.searchLevel(graph, scorer, 0, new int[] {entry}, 1, ef, null, SearchLimits.NONE);
      int[] found = topNodes(searcher.results(), k);
      recall += ExactNeighbors.recall(found, ExactNeighbors.topK(vectors, query, k, similarity), k);
    }
    return recall / queries.length;
  }

  static int[] topNodes(SearchResults results, int k) {
    int[] nodes = new int[Math.min(k, results.size())];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = results.node(i);
    }
    return nodes;
  }
}
