package org.hnswcodec.graph;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.hnswcodec.examples.ExactNeighbors;
import org.hnswcodec.testutil.VectorSet;

/** How a search honours its budget, its floor and its filter. */
public class BeamSearcherTest extends LuceneTestCase {

  private static final VectorSimilarityFunction L2 = VectorSimilarityFunction.EUCLIDEAN;

  private static float[][] vectors;
  private static OnHeapGraph graph;

  @org.junit.BeforeClass
  public static void buildGraph() throws IOException {
    vectors = VectorSet.clustered(random(), 2000, 8, 10);
    graph =
        new GraphBuilder(GraphTestSupport.scorers(vectors, L2), L2, vectors.length, 8, 50, 42)
            .build(() -> {});
  }

  @org.junit.AfterClass
  public static void release() {
    vectors = null;
    graph = null;
  }

  /** Counts visits and stops exactly at the budget. */
  private static final class Budget implements SearchLimits {
    final long limit;
    final float floor;
    long visited;

    Budget(long limit, float floor) {
      this.limit = limit;
      this.floor = floor;
    }

    @Override
    public long visitsLeft() {
      return limit - visited;
    }

    @Override
    public void visited(int count) {
      visited += count;
    }

    @Override
    public float minScore() {
      return floor;
    }
  }

  private static BeamSearcher search(float[] query, int ef, FixedBitSet accept, Budget budget)
      throws IOException {
    RandomVectorScorer scorer = GraphTestSupport.queryScorer(vectors, query, L2);
    BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 16), 16, ef);
    int entry = searcher.descend(graph, scorer, 0, budget);
    if (entry >= 0) {
      searcher.searchLevel(graph, scorer, 0, new int[] {entry}, 1, ef, accept, budget);
    }
    return searcher;
  }

  public void testStopsExactlyAtTheVisitBudget() throws IOException {
    int limit = random().nextInt(1, 60);
    Budget budget = new Budget(limit, Float.NEGATIVE_INFINITY);
    search(vectors[random().nextInt(vectors.length)], 100, null, budget);
    assertEquals(limit, budget.visited);
  }

  public void testUnlimitedSearchVisitsEachNodeAtMostOnce() throws IOException {
    Budget budget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
    BeamSearcher searcher = search(vectors[0], graph.size(), null, budget);
    // a beam as wide as the graph expands everything reachable, scoring each node once
    assertEquals(graph.size(), searcher.results().size());
    assertTrue(budget.visited <= graph.size() + graph.topLevel() * 16L);
  }

  public void testFilteredNodesAreWalkedButNeverReturned() throws IOException {
    FixedBitSet accept = new FixedBitSet(vectors.length);
    for (int i = 0; i < vectors.length; i += 3) {
      accept.set(i);
    }
    float[] query = vectors[random().nextInt(vectors.length)];
    BeamSearcher searcher =
        search(query, 30, accept, new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY));
    assertEquals(30, searcher.results().size());
    int[] found = GraphBuilderTest.topNodes(searcher.results(), 10);
    for (int node : found) {
      assertTrue("node " + node + " is filtered out", accept.get(node));
    }
    float[][] accepted = new float[(vectors.length + 2) / 3][];
    for (int i = 0; i < accepted.length; i++) {
      accepted[i] = vectors[3 * i];
    }
    int[] truth = ExactNeighbors.topK(accepted, query, 10, L2);
    for (int i = 0; i < truth.length; i++) {
      truth[i] *= 3;
    }
    assertTrue(ExactNeighbors.recall(found, truth, 10) >= 0.8);
  }

  /** Nothing below the caller's floor is expanded or returned. */
  public void testRespectsTheCallersFloor() throws IOException {
    float[] query = vectors[random().nextInt(vectors.length)];
    int[] exact = ExactNeighbors.topK(vectors, query, 5, L2);
    float floor = L2.compare(query, vectors[exact[4]]);
    BeamSearcher searcher = search(query, 50, null, new Budget(Long.MAX_VALUE, floor));
    var results = searcher.results();
    for (int i = 0; i < results.size(); i++) {
      assertTrue(results.score(i) >= floor);
    }
    assertTrue(results.size() <= 50);
  }

  /**
   * The layer-0 search after a descent starts from every node the descent scored and scores none
   * of them again: each visit is a distinct node, and the descent's best node is found.
   */
  public void testSearchFromDescentScoresEachNodeOnce() throws IOException {
    float[] query = vectors[random().nextInt(vectors.length)];
    RandomVectorScorer exact = GraphTestSupport.queryScorer(vectors, query, L2);
    List<Integer> scored = new ArrayList<>();
    RandomVectorScorer counting = recording(exact, scored);
    int ef = 20;
    Budget budget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
    BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 16), 16, ef);
    int entry = searcher.descend(graph, counting, 0, budget);
    int descentVisits = scored.size();
    assertTrue("the graph has upper layers", graph.topLevel() > 0 && descentVisits > 1);
    searcher.searchFromDescent(graph, counting, 0, ef, null, budget);
    assertEquals(budget.visited, scored.size());
    assertEquals(scored.size(), new java.util.HashSet<>(scored).size());
    // the descent's nodes are in the beam at their scores, the nearest of them among the results
    SearchResults results = searcher.results();
    assertEquals(ef, results.size());
    assertTrue(results.score(0) >= exact.score(entry));
    int[] truth = ExactNeighbors.topK(vectors, query, 10, L2);
    assertTrue(ExactNeighbors.recall(GraphBuilderTest.topNodes(results, 10), truth, 10) >= 0.8);
  }

  /**
   * A walk on from a search, as a block-join search gets when its beam held too few parents, with a
   * floor that never rises and no budget: it hands over every accepted node of the (connected)
   * graph exactly once, at its score, the filter's rejected nodes walked through but not handed
   * over. A searcher that recorded what its beam scored scores no node twice over both walks; one
   * that did not scores again every node but the descent's.
   */
  public void testSearchOnHandsOverEveryAcceptedNodeOnce() throws IOException {
    float[] query = vectors[random().nextInt(vectors.length)];
    RandomVectorScorer exact = GraphTestSupport.queryScorer(vectors, query, L2);
    FixedBitSet half = new FixedBitSet(vectors.length);
    for (int i = 0; i < vectors.length; i++) {
      if (random().nextBoolean()) {
        half.set(i);
      }
    }
    for (boolean record : new boolean[] {false, true}) {
      for (FixedBitSet accept : new FixedBitSet[] {null, half}) {
        String what = (record ? "recorded" : "not recorded") + (accept == null ? "" : ", filtered");
        List<Integer> scored = new ArrayList<>();
        RandomVectorScorer scorer = recording(exact, scored);
        Budget budget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
        BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), 10, 16), 16, 10);
        if (record) {
          searcher.recordScored();
        }
        searcher.descend(graph, scorer, 0, budget);
        int descentScored = scored.size();
        searcher.searchFromDescent(graph, scorer, 0, 10, accept, budget);
        int firstScored = scored.size();
        List<Long> entered = new ArrayList<>();
        searcher.searchOn(graph, scorer, 0, accept, budget, recorder(entered));

        int accepted = accept == null ? vectors.length : accept.cardinality();
        assertEquals(what, accepted, entered.size());
        assertEquals(what, accepted, entered.stream().mapToInt(ScoredNodes::node).distinct().count());
        for (long entry : entered) {
          int node = ScoredNodes.node(entry);
          assertTrue(what, accept == null || accept.get(node));
          assertEquals(what, exact.score(node), ScoredNodes.score(entry), 0f);
        }
        List<Integer> scoredOn = scored.subList(firstScored, scored.size());
        int scoredBefore = record ? firstScored : descentScored;
        assertEquals(what, vectors.length - scoredBefore, scoredOn.size());
        assertEquals(what, scoredOn.size(), scoredOn.stream().distinct().count());
        assertTrue(what, scoredOn.stream().noneMatch(scored.subList(0, scoredBefore)::contains));
        assertEquals(what, scored.size(), budget.visited);
        assertEquals(what, 0, searcher.results().size());
      }
    }
  }

  /**
   * With no visits left, a walk on scores nothing and hands over the accepted nodes it starts
   * from: all the last search scored if it recorded them, else the descent's.
   */
  public void testSearchOnWithNoVisitsLeftHandsOverWhatItStartsFrom() throws IOException {
    float[] query = vectors[random().nextInt(vectors.length)];
    RandomVectorScorer exact = GraphTestSupport.queryScorer(vectors, query, L2);
    for (boolean record : new boolean[] {false, true}) {
      List<Integer> scored = new ArrayList<>();
      RandomVectorScorer scorer = recording(exact, scored);
      BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), 10, 16), 16, 10);
      if (record) {
        searcher.recordScored();
      }
      Budget budget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
      searcher.descend(graph, scorer, 0, budget);
      List<Integer> startsFrom = new ArrayList<>(scored);
      searcher.searchFromDescent(graph, scorer, 0, 10, null, budget);
      if (record) {
        startsFrom = new ArrayList<>(scored);
      }
      assertEquals(10, searcher.results().size());

      int scoredBefore = scored.size();
      List<Long> entered = new ArrayList<>();
      searcher.searchOn(
          graph, scorer, 0, null, new Budget(0, Float.NEGATIVE_INFINITY), recorder(entered));
      assertEquals(scoredBefore, scored.size());
      assertEquals(
          startsFrom.stream().sorted().toList(),
          entered.stream().map(ScoredNodes::node).sorted().toList());
    }
  }

  /** A scorer that adds each node it scores to {@code scored}. */
  private static RandomVectorScorer recording(RandomVectorScorer exact, List<Integer> scored) {
    return new RandomVectorScorer() {
      @Override
      public float score(int node) throws IOException {
        scored.add(node);
        return exact.score(node);
      }

      @Override
      public int maxOrd() {
        return exact.maxOrd();
      }
    };
  }

  /** A listener that adds each node entering the beam to {@code entered}, with its score. */
  private static BeamListener recorder(List<Long> entered) {
    return new BeamListener() {
      @Override
      public void entered(int node, float score) {
        entered.add(ScoredNodes.encode(node, score));
      }

      @Override
      public void expanded() {}
    };
  }

  /**
   * Without a filter only the ef best of the descent's nodes become candidates; a filter that
   * accepts everything takes the path that makes every one a candidate. Both must visit the same
   * nodes and return the same results: the others are below the floor the best ones set.
   */
  public void testUnfilteredSearchSeedsOnlyWhatCanBeExpanded() throws IOException {
    FixedBitSet all = new FixedBitSet(vectors.length);
    all.set(0, vectors.length);
    for (int q = 0; q < 20; q++) {
      float[] query = vectors[random().nextInt(vectors.length)];
      int ef = random().nextInt(1, 40);
      int[][] found = new int[2][];
      long[] visits = new long[2];
      for (int variant = 0; variant < 2; variant++) {
        RandomVectorScorer scorer = GraphTestSupport.queryScorer(vectors, query, L2);
        Budget budget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
        BeamSearcher searcher =
            new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 16), 16, ef);
        searcher.descend(graph, scorer, 0, budget);
        searcher.searchFromDescent(graph, scorer, 0, ef, variant == 0 ? null : all, budget);
        found[variant] = GraphBuilderTest.topNodes(searcher.results(), ef);
        visits[variant] = budget.visited;
      }
      assertArrayEquals(found[1], found[0]);
      assertEquals(visits[1], visits[0]);
    }
  }

  /**
   * A search from given entry nodes scores each distinct entry once, at its own score, however
   * many batches the entries fill, and scores no more of them than the budget allows, in order.
   */
  public void testEntriesAreScoredOnceWithinTheBudget() throws IOException {
    float[] query = vectors[random().nextInt(vectors.length)];
    RandomVectorScorer exact = GraphTestSupport.queryScorer(vectors, query, L2);
    // three batches' worth of entries (a batch holds 16), with repeats
    int[] entries = new int[48];
    java.util.LinkedHashSet<Integer> distinct = new java.util.LinkedHashSet<>();
    for (int i = 0; i < entries.length; i++) {
      entries[i] = i % 5 == 4 ? entries[i - 3] : random().nextInt(vectors.length);
      distinct.add(entries[i]);
    }
    int[] inOrder = distinct.stream().mapToInt(Integer::intValue).toArray();
    int limit = random().nextBoolean() ? inOrder.length : random().nextInt(1, inOrder.length);
    Budget budget = new Budget(limit, Float.NEGATIVE_INFINITY);
    int ef = entries.length;
    BeamSearcher searcher = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 16), 16, ef);
    searcher.searchLevel(graph, exact, 0, entries, entries.length, ef, null, budget);
    // the budget is spent on the entries: the results are the first `limit` distinct ones
    assertEquals(limit, budget.visited);
    SearchResults results = searcher.results();
    assertEquals(limit, results.size());
    java.util.Set<Integer> expected = new java.util.HashSet<>();
    for (int i = 0; i < limit; i++) {
      expected.add(inOrder[i]);
    }
    for (int i = 0; i < results.size(); i++) {
      assertTrue(expected.remove(results.node(i)));
      assertEquals(exact.score(results.node(i)), results.score(i), 0f);
    }
  }

  /**
   * Asked for more results than its beam holds, a search walks exactly as the narrower search
   * does but returns the best nodes among all it scored, best first.
   */
  public void testKeepsTheBestScoredNodesBeyondTheBeam() throws IOException {
    float[] query = vectors[random().nextInt(vectors.length)];
    RandomVectorScorer exact = GraphTestSupport.queryScorer(vectors, query, L2);
    java.util.Map<Integer, Float> scored = new java.util.HashMap<>();
    RandomVectorScorer recording =
        new RandomVectorScorer() {
          @Override
          public float score(int node) throws IOException {
            float score = exact.score(node);
            scored.put(node, score);
            return score;
          }

          @Override
          public int maxOrd() {
            return exact.maxOrd();
          }
        };
    int ef = random().nextInt(1, 20);
    int keep = ef + random().nextInt(1, 60);
    int[] entries = {random().nextInt(vectors.length), random().nextInt(vectors.length)};
    BeamSearcher narrow = new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 16), 16, ef);
    Budget narrowBudget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
    narrow.searchLevel(graph, exact, 0, entries, 2, ef, null, narrowBudget);
    BeamSearcher wide =
        new BeamSearcher(VisitedSet.forQuery(graph.size(), ef, 16), 16, ef, keep);
    Budget wideBudget = new Budget(Long.MAX_VALUE, Float.NEGATIVE_INFINITY);
    wide.searchLevel(graph, recording, 0, entries, 2, ef, null, wideBudget);

    assertEquals("the same walk", narrowBudget.visited, wideBudget.visited);
    SearchResults results = wide.results();
    assertEquals(Math.min(keep, scored.size()), results.size());
    // every score seen, best last
    float[] seen = new float[scored.size()];
    int n = 0;
    for (float score : scored.values()) {
      seen[n++] = score;
    }
    java.util.Arrays.sort(seen);
    for (int i = 0; i < results.size(); i++) {
      assertEquals(seen[seen.length - 1 - i], results.score(i), 0f);
      assertEquals(scored.get(results.node(i)), results.score(i), 0f);
    }
    for (int i = 0; i < narrow.results().size(); i++) {
      assertEquals(narrow.results().score(i), results.score(i), 0f);
    }
  }
}
