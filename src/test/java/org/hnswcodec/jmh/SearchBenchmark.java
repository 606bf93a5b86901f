package org.hnswcodec.jmh;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.hnsw.FlatVectorScorerUtil;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;
import org.hnswcodec.examples.Recall;
import org.hnswcodec.graph.BeamSearcher;
import org.hnswcodec.graph.GraphBuilder;
import org.hnswcodec.graph.OnHeapGraph;
import org.hnswcodec.graph.SearchLimits;
import org.hnswcodec.graph.SearchResults;
import org.hnswcodec.graph.VisitedSet;
import org.hnswcodec.search.EfSearchStrategy;
import org.hnswcodec.testutil.VectorSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time per query of a top-10 search of the bundled SIFT set (9,900 base vectors, M=16,
 * efConstruction=100) at beam widths ef 16 and 64, three ways:
 *
 * <ul>
 *   <li>{@link #onHeapGraph}: the search inner loop alone, {@link BeamSearcher#descend} then {@link
 *       BeamSearcher#searchFromDescent} on layer 0, over the {@link OnHeapGraph} that {@link
 *       GraphBuilder} built, with vectors on the heap and one searcher reused for every query;
 *   <li>{@link #hnswCodec}: the same search through the codec, on a one-segment index in an {@link
 *       org.apache.lucene.store.MMapDirectory}: the graph and the vectors are read off-heap, and
 *       each query pays for its searcher, scorer and collector;
 *   <li>{@link #lucene99}: Lucene's own {@code Lucene99HnswVectorsFormat(16, 100)} on the same
 *       documents, its beam set the way Lucene sets it, by asking for {@code max(10, ef)} hits.
 * </ul>
 *
 * <p>Each invocation searches all 100 queries, so that every measurement covers the same mix of
 * easy and hard ones; JMH divides by 100. The setup prints each variant's recall@10 and nodes
 * scored per query, so the times can be compared at equal quality.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(SearchBenchmark.QUERIES)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SearchBenchmark {

  /** The number of SIFT queries bundled; each invocation runs them all. */
  static final int QUERIES = 100;

  /** The SIFT vectors and their exact neighbours, and the beam width under test. */
  @State(Scope.Thread)
  public abstract static class Data {
    @Param({"16", "64"})
    public int ef;

    float[][] base;
    float[][] queries;
    int[][] truth;

    void load() throws IOException {
      base = VectorSet.siftBase();
      queries = VectorSet.siftQueries();
      truth = VectorSet.siftGroundTruth();
      if (queries.length != QUERIES) {
        throw new IllegalStateException(
            "expected " + QUERIES + " queries, the file has " + queries.length);
      }
    }

    /** Prints recall@10 and nodes scored per query of the variant in the forked JVM's output. */
    void report(String variant, int[][] found, long visited) {
      System.out.printf(
          "%n%s ef=%d: recall@10 %.3f, %.0f nodes scored per query%n",
          variant, ef, Recall.atK(found, truth, SiftIndex.K), (double) visited / queries.length);
    }
  }

  /** An on-heap graph over the base vectors, one query scorer per query and one searcher. */
  public static class OnHeap extends Data {
    OnHeapGraph graph;
    RandomVectorScorer[] scorers;
    BeamSearcher searcher;
    int beam;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      load();
      RandomVectorScorerSupplier build = SiftIndex.flushScorers(base);
      graph =
          new GraphBuilder(
                  build,
                  SiftIndex.SIMILARITY,
                  base.length,
                  SiftIndex.MAX_CONN,
                  SiftIndex.BEAM_WIDTH,
                  SiftIndex.SEED)
              .build(() -> {});
      scorers = new RandomVectorScorer[queries.length];
      for (int q = 0; q < queries.length; q++) {
        scorers[q] =
            FlatVectorScorerUtil.getLucene99FlatVectorsScorer()
                .getRandomVectorScorer(SiftIndex.SIMILARITY, SiftIndex.values(base), queries[q]);
      }
      // the beam and the visited set sized as the codec's search sizes them
      beam = Math.max(SiftIndex.K, ef);
      int maxConn0 = graph.maxConn(0);
      searcher =
          new BeamSearcher(VisitedSet.forQuery(graph.size(), beam, maxConn0), maxConn0, beam);
      reportRecall();
    }

    private void reportRecall() throws IOException {
      int[][] found = new int[queries.length][];
      Counter counter = new Counter();
      for (int q = 0; q < queries.length; q++) {
        searcher.descend(graph, scorers[q], 0, counter);
        searcher.searchFromDescent(graph, scorers[q], 0, beam, null, counter);
        found[q] = bestFirst(searcher.results());
      }
      report("onHeapGraph", found, counter.visited);
    }

    private static int[] bestFirst(SearchResults results) {
      int[] nodes = new int[results.size()];
      for (int i = 0; i < nodes.length; i++) {
        nodes[i] = results.node(i);
      }
      return nodes;
    }
  }

  /** Counts the nodes a search scores; no budget, no floor. */
  static final class Counter implements SearchLimits {
    long visited;

    @Override
    public long visitsLeft() {
      return Long.MAX_VALUE;
    }

    @Override
    public void visited(int count) {
      visited += count;
    }

    @Override
    public float minScore() {
      return Float.NEGATIVE_INFINITY;
    }
  }

  /** A one-segment index of the base vectors, written by some codec, in a temporary directory. */
  public abstract static class Index extends Data {
    SiftIndex index;
    LeafReader leaf;

    /** The collector for one query at this state's ef. */
    abstract TopKnnCollector collector();

    abstract String variant();

    abstract Codec codec();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      load();
      index = new SiftIndex(base, codec());
      leaf = index.leaf();
      int[][] found = new int[queries.length][];
      long visited = 0;
      for (int q = 0; q < queries.length; q++) {
        TopKnnCollector collector = search(this, queries[q]);
        ScoreDoc[] hits = collector.topDocs().scoreDocs;
        // one segment, indexed in order: document ids are the ground truth's row numbers
        found[q] = new int[hits.length];
        for (int i = 0; i < hits.length; i++) {
          found[q][i] = hits[i].doc;
        }
        visited += collector.visitedCount();
      }
      report(variant(), found, visited);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
      index.close();
    }
  }

  /** Our format: k=10 hits from a beam of ef, set per query by {@link EfSearchStrategy}. */
  public static class CodecIndex extends Index {
    @Override
    TopKnnCollector collector() {
      return new TopKnnCollector(SiftIndex.K, Integer.MAX_VALUE, new EfSearchStrategy(ef));
    }

    @Override
    String variant() {
      return "hnswCodec";
    }

    @Override
    Codec codec() {
      return SiftIndex.hnswCodec();
    }
  }

  /** Lucene's format, whose beam is the collector's k: ask for max(10, ef) hits. */
  public static class Lucene99Index extends Index {
    @Override
    TopKnnCollector collector() {
      return new TopKnnCollector(Math.max(SiftIndex.K, ef), Integer.MAX_VALUE);
    }

    @Override
    String variant() {
      return "lucene99";
    }

    @Override
    Codec codec() {
      return SiftIndex.lucene99Codec();
    }
  }

  /** One query through the segment, as Lucene's kNN queries search each leaf. */
  private static TopKnnCollector search(Index index, float[] query) throws IOException {
    TopKnnCollector collector = index.collector();
    index.leaf.searchNearestVectors(
        SiftIndex.FIELD,
        query,
        collector,
        AcceptDocs.fromLiveDocs(index.leaf.getLiveDocs(), index.leaf.maxDoc()));
    return collector;
  }

  @Benchmark
  public void onHeapGraph(OnHeap state, Blackhole blackhole) throws IOException {
    BeamSearcher searcher = state.searcher;
    for (RandomVectorScorer scorer : state.scorers) {
      searcher.descend(state.graph, scorer, 0, SearchLimits.NONE);
      searcher.searchFromDescent(state.graph, scorer, 0, state.beam, null, SearchLimits.NONE);
      // the worst of the beam depends on the whole search, so none of it can be skipped
      blackhole.consume(searcher.results().node(searcher.results().size() - 1));
    }
  }

  @Benchmark
  public void hnswCodec(CodecIndex state, Blackhole blackhole) throws IOException {
    for (float[] query : state.queries) {
      blackhole.consume(search(state, query).minCompetitiveSimilarity());
    }
  }

  @Benchmark
  public void lucene99(Lucene99Index state, Blackhole blackhole) throws IOException {
    for (float[] query : state.queries) {
      blackhole.consume(search(state, query).minCompetitiveSimilarity());
    }
  }
}
